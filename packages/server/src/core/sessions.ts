import { IntegrityError } from "../crypto/keyring.js";
import type { StoredRecord } from "../storage/types.js";
import type { CallContext, Json, Mode } from "./context.js";
import type { CoreDeps } from "./deps.js";
import { ConflictError, NotFoundError } from "./errors.js";
import type { Identities } from "./identity.js";
import type { RawJson } from "./raw-json.js";
import type { OpenedSession, SessionPayload } from "./record-codec.js";
import { markUsed } from "./usage.js";
import { expiryAt, parseDuration, parseFinalTime } from "./windows.js";

export interface SessionView {
  sessionuuid: string;
  /** Serialises as the session data object; replies splice its text in as is. */
  sessiondata: RawJson;
  version: number;
  created: number;
  lastused: number;
  expires: number | null;
  usertoken: string | null;
  /** Last write, unix ms. */
  written: number;
}

export interface SessionUpsertInput {
  sessionuuid: string;
  sessiondata: Json;
  slidingtime?: string;
  finaltime?: string | number;
  usertoken?: string;
  expectversion?: number;
}

export interface SessionPatchInput {
  sessionuuid: string;
  set?: Json;
  unset?: string[];
  create?: boolean;
  slidingtime?: string;
  finaltime?: string | number;
  usertoken?: string;
  expectversion?: number;
}

function view(payload: OpenedSession, record: StoredRecord, used: { lastUsed: number; expires: number | null }) {
  return {
    sessionuuid: payload.id,
    sessiondata: payload.data,
    version: record.version,
    created: payload.created,
    lastused: used.lastUsed,
    expires: used.expires,
    usertoken: payload.user,
    written: payload.written,
  } satisfies SessionView;
}

/** Session records: write (whole or patch), read, touch, delete, list and revoke per user. */
export class Sessions {
  constructor(
    private readonly deps: CoreDeps,
    private readonly identities: Identities,
  ) {}

  /** The storage key of a session id (also what the audit log hashes). */
  key(ctx: CallContext, id: string): string {
    return this.deps.keys.session(ctx, id);
  }

  async upsert(ctx: CallContext, body: SessionUpsertInput): Promise<{ version: number }> {
    const { driver, sealed } = this.deps;
    const key = this.key(ctx, body.sessionuuid);
    const link = await this.resolveLink(ctx, body.usertoken);
    return this.deps.writes.run(`session:${key}`, "session", async () => {
      const now = this.deps.now();
      const current = await driver.get("session", key, now);
      const previous = current ? await sealed.openSession(ctx, current, body.sessionuuid) : null;
      const currentVersion = current?.version ?? 0;
      if (body.expectversion !== undefined && body.expectversion !== currentVersion) {
        throw new ConflictError("version conflict");
      }
      const version = await this.write(ctx, key, current, {
        id: body.sessionuuid,
        data: body.sessiondata,
        created: previous?.created ?? now,
        user: link === undefined ? (previous?.user ?? null) : link,
        sliding:
          body.slidingtime !== undefined ? parseDuration(body.slidingtime, "slidingtime") : (previous?.sliding ?? null),
        final:
          body.finaltime !== undefined
            ? parseFinalTime(body.finaltime, previous?.created ?? now, now)
            : (previous?.final ?? null),
        written: now,
      });
      if (version !== null) return { version };
      if (body.expectversion !== undefined) throw new ConflictError("version conflict");
      return null;
    });
  }

  /** Compare-and-set write of a session payload; null when another writer got there first. */
  private async write(
    ctx: CallContext,
    key: string,
    current: StoredRecord | null,
    payload: SessionPayload,
    now: number = payload.written,
    /** False for a rewrite that changes no data (the window), which keeps the version. */
    newVersion = true,
  ): Promise<number | null> {
    const version = (current?.version ?? 0) + (newVersion ? 1 : 0);
    const ok = await this.deps.driver.put(
      {
        kind: "session",
        key,
        blob: await this.deps.sealed.sealSession(ctx, key, payload),
        version,
        expiresAt: expiryAt(now, payload.sliding, payload.final),
        lastUsed: now,
        owner: payload.user ? this.deps.keys.owner(ctx, payload.user) : null,
      },
      { expectVersion: current?.version ?? 0, now },
    );
    return ok ? version : null;
  }

  /** undefined: keep the stored link; null: unlink; string: link to that (existing) user. */
  private async resolveLink(ctx: CallContext, usertoken: string | undefined): Promise<string | null | undefined> {
    if (usertoken === undefined) return undefined;
    if (usertoken === "") return null;
    const user = await this.deps.driver.get("user", this.deps.keys.user(ctx, usertoken), this.deps.now());
    if (!user) throw new NotFoundError("user not found");
    return usertoken;
  }

  async get(ctx: CallContext, id: string): Promise<SessionView> {
    const key = this.key(ctx, id);
    const now = this.deps.now();
    const record = await this.deps.driver.get("session", key, now);
    if (!record) throw new NotFoundError();
    const payload = await this.deps.sealed.openSession(ctx, record, id);
    const used = await markUsed(this.deps.driver, record, payload, now, this.deps.touchGranularityMs);
    return view(payload, record, used);
  }

  async delete(ctx: CallContext, id: string): Promise<void> {
    await this.deps.driver.delete("session", this.key(ctx, id));
  }

  async touch(ctx: CallContext, id: string, slidingtime?: string): Promise<{ expires: number | null }> {
    const { driver, sealed } = this.deps;
    const key = this.key(ctx, id);
    const sliding = slidingtime !== undefined ? parseDuration(slidingtime, "slidingtime") : undefined;
    const now = this.deps.now();
    const record = await driver.get("session", key, now);
    if (!record) throw new NotFoundError();
    const payload = await sealed.openSession(ctx, record, id);
    if (sliding === undefined || sliding === payload.sliding) {
      const expires = expiryAt(now, payload.sliding, payload.final);
      if (!(await driver.touch("session", key, expires, now, now))) throw new NotFoundError();
      return { expires };
    }
    // A new window length lives inside the sealed payload, so later reads slide by it too.
    // The data is unchanged, so the version is too: a client's expectversion stays valid.
    return this.deps.writes.run(`session:${key}`, "session", async () => {
      const at = this.deps.now();
      const current = await driver.get("session", key, at);
      if (!current) throw new NotFoundError();
      const stored = await sealed.openSession(ctx, current, id);
      const written = await this.write(ctx, key, current, { ...stored, sliding }, at, false);
      return written === null ? null : { expires: expiryAt(at, sliding, stored.final) };
    });
  }

  async patch(ctx: CallContext, body: SessionPatchInput): Promise<{ version: number }> {
    const { driver, sealed } = this.deps;
    const key = this.key(ctx, body.sessionuuid);
    const link = await this.resolveLink(ctx, body.usertoken);
    const sliding = body.slidingtime !== undefined ? parseDuration(body.slidingtime, "slidingtime") : undefined;
    const unset = new Set(body.unset ?? []);
    return this.deps.writes.run(`session:${key}`, "session", async () => {
      const now = this.deps.now();
      const current = await driver.get("session", key, now);
      if (!current && !body.create) throw new NotFoundError();
      const currentVersion = current?.version ?? 0;
      if (body.expectversion !== undefined && body.expectversion !== currentVersion) {
        throw new ConflictError("version conflict");
      }
      const previous = current ? await sealed.openSession(ctx, current, body.sessionuuid) : null;
      // Entries are copied as data properties, so a "__proto__" key stays an ordinary key.
      const merged = Object.fromEntries([
        ...Object.entries(previous?.data.parse<Json>() ?? {}).filter(
          ([name]) => !unset.has(name) && !Object.hasOwn(body.set ?? {}, name),
        ),
        ...Object.entries(body.set ?? {}).filter(([name]) => !unset.has(name)),
      ]);
      const created = previous?.created ?? now;
      const version = await this.write(ctx, key, current, {
        id: body.sessionuuid,
        data: merged,
        created,
        user: link === undefined ? (previous?.user ?? null) : link,
        sliding: sliding ?? previous?.sliding ?? null,
        final: body.finaltime !== undefined ? parseFinalTime(body.finaltime, created, now) : (previous?.final ?? null),
        written: now,
      });
      if (version !== null) return { version };
      if (body.expectversion !== undefined) throw new ConflictError("version conflict");
      return null;
    });
  }

  /** A user's live sessions, most recently used first; decrypts only the returned page. */
  async list(
    ctx: CallContext,
    mode: Mode,
    identity: string,
    offset = 0,
    limit = 100,
  ): Promise<{ rows: SessionView[]; total: number }> {
    const token = await this.identities.token(ctx, mode, identity);
    const now = this.deps.now();
    const page = await this.deps.driver.listByOwner("session", this.deps.keys.owner(ctx, token), now, offset, limit);
    const rows: SessionView[] = [];
    for (const record of page.records) {
      let payload: OpenedSession;
      try {
        payload = await this.deps.sealed.openSession(ctx, record);
      } catch (error) {
        // One damaged record must not hide the user's other sessions; it is reported.
        if (!(error instanceof IntegrityError)) throw error;
        this.deps.onUnreadable("session");
        continue;
      }
      rows.push(view(payload, record, { lastUsed: record.lastUsed, expires: record.expiresAt }));
    }
    return { rows, total: page.total };
  }

  /** Deletes every session linked to the user except `keep`; returns how many live ones went. */
  async revokeUser(ctx: CallContext, mode: Mode, identity: string, keep: string[] = []): Promise<number> {
    const token = await this.identities.token(ctx, mode, identity);
    return this.deps.driver.deleteByOwner(
      "session",
      this.deps.keys.owner(ctx, token),
      keep.map((id) => this.key(ctx, id)),
      this.deps.now(),
    );
  }
}

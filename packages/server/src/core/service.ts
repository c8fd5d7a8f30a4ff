import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { IntegrityError, type Keyring } from "../crypto/keyring.js";
import { badRequest, busy, conflict, notFound } from "../errors.js";
import type { RecordKind, StorageDriver, StoredRecord } from "../storage/types.js";
import { KeyedLock } from "./keyed-lock.js";
import { RawJson } from "./raw-json.js";
import { cardTokenBase, genericTokenBase, isCardNumber } from "./token-format.js";
import { expiryAt, parseDuration, parseFinalTime } from "./windows.js";

/** Who is calling and in which tenant. */
export interface CallContext {
  /** Configured id of the access token used. */
  actor: string;
  /** Tenant name from `X-Bunker-Tenant`, or null. */
  tenant: string | null;
}

type Json = Record<string, unknown>;
export type Mode = "token" | "login" | "email" | "phone" | "custom";
const IDENTITY_MODES = ["login", "email", "phone", "custom"] as const;
type IdentityMode = (typeof IDENTITY_MODES)[number];

interface SessionPayload {
  /** The raw session id, kept only inside the ciphertext so listings can return it. */
  i: string;
  /** Raw when it comes from a stored record and is written back unchanged. */
  d: Json | RawJson;
  c: number;
  u: string | null;
  s: number | null;
  f: number | null;
  /** Last write, unix ms. */
  w: number;
}

/** A session as opened: its data stays the JSON text it was sealed as. */
type OpenedSession = SessionPayload & { d: RawJson };

interface UserPayload {
  t: string;
  p: Json;
  c: number;
  s: number | null;
  f: number | null;
}

interface TokenPayload {
  u: string;
  b: string;
  y: string;
  r: string;
  q: boolean;
  c: number;
  s: number | null;
  f: number | null;
}

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

export interface ServiceOptions {
  now: () => number;
  /** Reads move `lastUsed`/expiry only when at least this much time has passed. */
  touchGranularityMs: number;
}

const MAX_CAS_ATTEMPTS = 16;
const MAX_BACKOFF_MS = 64;

/**
 * Waits before retrying a compare-and-set lost to another vault instance. Writers of one
 * instance never race each other (they queue per record), so only cross-instance races
 * get here; full jitter keeps two instances from colliding again in lockstep.
 */
function backoff(attempt: number): Promise<void> {
  return sleep(Math.random() * Math.min(2 ** attempt, MAX_BACKOFF_MS));
}

/**
 * The operations of the contract over a storage driver and a keyring. Plain objects in,
 * plain objects out; HTTP lives elsewhere.
 */
export class VaultService {
  /** Read-modify-write operations on one record run one at a time inside this process. */
  private readonly locks = new KeyedLock();

  constructor(
    private readonly driver: StorageDriver,
    private readonly keyring: Keyring,
    private readonly options: ServiceOptions,
  ) {}

  private now(): number {
    return this.options.now();
  }

  /**
   * Runs a read-modify-write step under the record's lock until its compare-and-set wins.
   * `attempt` returns null when another writer got there first. Exhausted retries are a
   * 503 with Retry-After: contention is the vault's problem, never the caller's conflict.
   */
  private async readModifyWrite<T>(lockKey: string, what: string, attempt: () => Promise<T | null>): Promise<T> {
    return this.locks.run(lockKey, async () => {
      for (let n = 0; n < MAX_CAS_ATTEMPTS; n++) {
        if (n > 0) await backoff(n);
        const result = await attempt();
        if (result !== null) return result;
      }
      throw busy(`too many concurrent writes to this ${what}; retry`);
    });
  }

  private scope(ctx: CallContext): string {
    return ctx.tenant ?? "";
  }

  sessionKey(ctx: CallContext, id: string): string {
    return this.keyring.hash("session", this.scope(ctx), id);
  }
  userKey(ctx: CallContext, token: string): string {
    return this.keyring.hash("user", this.scope(ctx), token);
  }
  private ownerKey(ctx: CallContext, token: string): string {
    return this.keyring.hash("owner", this.scope(ctx), token);
  }
  private identityIndex(ctx: CallContext, mode: IdentityMode, value: string): string {
    return this.keyring.hash("identity", this.scope(ctx), mode, normalizeIdentity(mode, value));
  }
  tokenKey(ctx: CallContext, uuid: string): string {
    return this.keyring.hash("token", this.scope(ctx), uuid);
  }
  private tokenBaseIndex(ctx: CallContext, base: string): string {
    return this.keyring.hash("tokenbase", this.scope(ctx), base);
  }
  private tokenValueIndex(ctx: CallContext, type: string, record: string): string {
    return this.keyring.hash("tokenvalue", this.scope(ctx), type, record);
  }

  private async seal(ctx: CallContext, kind: RecordKind, key: string, payload: object): Promise<Uint8Array> {
    return this.keyring.seal(kind, key, this.keyring.tenantTag(ctx.tenant), Buffer.from(JSON.stringify(payload)));
  }

  private async open<T>(ctx: CallContext, record: StoredRecord): Promise<T> {
    const plain = await this.keyring.open(record.kind, record.key, this.keyring.tenantTag(ctx.tenant), record.blob);
    try {
      return JSON.parse(plain.toString("utf8")) as T;
    } catch {
      throw new IntegrityError();
    }
  }

  /** Extends a record's sliding window and recency on use, at most once per granularity. */
  private async markUsed(record: StoredRecord, slidingMs: number | null, finalAt: number | null, now: number) {
    const expires = expiryAt(now, slidingMs, finalAt);
    // Coalesce extensions: at most one write per 1% of the window (and per granularity),
    // so a hot session read on every request does not turn every read into a write.
    const granularity = Math.max(this.options.touchGranularityMs, Math.min((slidingMs ?? 0) / 100, 60_000));
    if (now - record.lastUsed < granularity) {
      return { lastUsed: record.lastUsed, expires: record.expiresAt };
    }
    await this.driver.touch(record.kind, record.key, expires, now, now);
    return { lastUsed: now, expires };
  }

  // ---- sessions -------------------------------------------------------------------

  async sessionUpsert(
    ctx: CallContext,
    body: {
      sessionuuid: string;
      sessiondata: Json;
      slidingtime?: string;
      finaltime?: string | number;
      usertoken?: string;
      expectversion?: number;
    },
  ): Promise<{ version: number }> {
    const key = this.sessionKey(ctx, body.sessionuuid);
    const link = await this.resolveLink(ctx, body.usertoken);
    return this.readModifyWrite(`session:${key}`, "session", async () => {
      const now = this.now();
      const current = await this.driver.get("session", key, now);
      const previous = current ? await this.openSession(ctx, current, body.sessionuuid) : null;
      const currentVersion = current?.version ?? 0;
      if (body.expectversion !== undefined && body.expectversion !== currentVersion) {
        throw conflict("version conflict");
      }
      const version = await this.writeSession(ctx, key, current, {
        i: body.sessionuuid,
        d: body.sessiondata,
        c: previous?.c ?? now,
        u: link === undefined ? (previous?.u ?? null) : link,
        s: body.slidingtime !== undefined ? parseDuration(body.slidingtime, "slidingtime") : (previous?.s ?? null),
        f: body.finaltime !== undefined ? parseFinalTime(body.finaltime, previous?.c ?? now) : (previous?.f ?? null),
        w: now,
      });
      if (version !== null) return { version };
      if (body.expectversion !== undefined) throw conflict("version conflict");
      return null;
    });
  }

  /** Compare-and-set write of a session payload; null when another writer got there first. */
  private async writeSession(
    ctx: CallContext,
    key: string,
    current: StoredRecord | null,
    payload: SessionPayload,
    now: number = payload.w,
    /** False for a rewrite that changes no data (the window), which keeps the version. */
    newVersion = true,
  ): Promise<number | null> {
    const version = (current?.version ?? 0) + (newVersion ? 1 : 0);
    const blob = await this.keyring.seal("session", key, this.keyring.tenantTag(ctx.tenant), encodeSession(payload));
    const ok = await this.driver.put(
      {
        kind: "session",
        key,
        blob,
        version,
        expiresAt: expiryAt(now, payload.s, payload.f),
        lastUsed: now,
        owner: payload.u ? this.ownerKey(ctx, payload.u) : null,
      },
      { expectVersion: current?.version ?? 0, now },
    );
    return ok ? version : null;
  }

  /** undefined: keep the stored link; null: unlink; string: link to that (existing) user. */
  private async resolveLink(ctx: CallContext, usertoken: string | undefined): Promise<string | null | undefined> {
    if (usertoken === undefined) return undefined;
    if (usertoken === "") return null;
    const user = await this.driver.get("user", this.userKey(ctx, usertoken), this.now());
    if (!user) throw notFound("user not found");
    return usertoken;
  }

  private async openSession(ctx: CallContext, record: StoredRecord, id?: string): Promise<OpenedSession> {
    const plain = await this.keyring.open(record.kind, record.key, this.keyring.tenantTag(ctx.tenant), record.blob);
    const payload = decodeSession(plain.toString("utf8"));
    if (payload === null || (id !== undefined && payload.i !== id)) throw new IntegrityError();
    return payload;
  }

  private view(payload: OpenedSession, record: StoredRecord, used: { lastUsed: number; expires: number | null }) {
    return {
      sessionuuid: payload.i,
      sessiondata: payload.d,
      version: record.version,
      created: payload.c,
      lastused: used.lastUsed,
      expires: used.expires,
      usertoken: payload.u,
      written: payload.w,
    } satisfies SessionView;
  }

  async sessionGet(ctx: CallContext, id: string): Promise<SessionView> {
    const key = this.sessionKey(ctx, id);
    const now = this.now();
    const record = await this.driver.get("session", key, now);
    if (!record) throw notFound();
    const payload = await this.openSession(ctx, record, id);
    const used = await this.markUsed(record, payload.s, payload.f, now);
    return this.view(payload, record, used);
  }

  async sessionDelete(ctx: CallContext, id: string): Promise<void> {
    await this.driver.delete("session", this.sessionKey(ctx, id));
  }

  async sessionTouch(ctx: CallContext, id: string, slidingtime?: string): Promise<{ expires: number | null }> {
    const key = this.sessionKey(ctx, id);
    const sliding = slidingtime !== undefined ? parseDuration(slidingtime, "slidingtime") : undefined;
    const now = this.now();
    const record = await this.driver.get("session", key, now);
    if (!record) throw notFound();
    const payload = await this.openSession(ctx, record, id);
    if (sliding === undefined || sliding === payload.s) {
      const expires = expiryAt(now, payload.s, payload.f);
      if (!(await this.driver.touch("session", key, expires, now, now))) throw notFound();
      return { expires };
    }
    // A new window length lives inside the sealed payload, so later reads slide by it too.
    // The data is unchanged, so the version is too: a client's expectversion stays valid.
    return this.readModifyWrite(`session:${key}`, "session", async () => {
      const at = this.now();
      const current = await this.driver.get("session", key, at);
      if (!current) throw notFound();
      const stored = await this.openSession(ctx, current, id);
      const written = await this.writeSession(ctx, key, current, { ...stored, s: sliding }, at, false);
      return written === null ? null : { expires: expiryAt(at, sliding, stored.f) };
    });
  }

  async sessionPatch(
    ctx: CallContext,
    body: {
      sessionuuid: string;
      set?: Json;
      unset?: string[];
      create?: boolean;
      slidingtime?: string;
      finaltime?: string | number;
      usertoken?: string;
      expectversion?: number;
    },
  ): Promise<{ version: number }> {
    const key = this.sessionKey(ctx, body.sessionuuid);
    const link = await this.resolveLink(ctx, body.usertoken);
    const sliding = body.slidingtime !== undefined ? parseDuration(body.slidingtime, "slidingtime") : undefined;
    const unset = new Set(body.unset ?? []);
    return this.readModifyWrite(`session:${key}`, "session", async () => {
      const now = this.now();
      const current = await this.driver.get("session", key, now);
      if (!current && !body.create) throw notFound();
      const currentVersion = current?.version ?? 0;
      if (body.expectversion !== undefined && body.expectversion !== currentVersion) {
        throw conflict("version conflict");
      }
      const previous = current ? await this.openSession(ctx, current, body.sessionuuid) : null;
      // Entries are copied as data properties, so a "__proto__" key stays an ordinary key.
      const merged = Object.fromEntries([
        ...Object.entries(previous?.d.parse<Json>() ?? {}).filter(
          ([name]) => !unset.has(name) && !Object.hasOwn(body.set ?? {}, name),
        ),
        ...Object.entries(body.set ?? {}).filter(([name]) => !unset.has(name)),
      ]);
      const created = previous?.c ?? now;
      const version = await this.writeSession(ctx, key, current, {
        i: body.sessionuuid,
        d: merged,
        c: created,
        u: link === undefined ? (previous?.u ?? null) : link,
        s: sliding ?? previous?.s ?? null,
        f: body.finaltime !== undefined ? parseFinalTime(body.finaltime, created) : (previous?.f ?? null),
        w: now,
      });
      if (version !== null) return { version };
      if (body.expectversion !== undefined) throw conflict("version conflict");
      return null;
    });
  }

  /** A user's live sessions, most recently used first; decrypts only the returned page. */
  async sessionList(
    ctx: CallContext,
    mode: Mode,
    identity: string,
    offset = 0,
    limit = 100,
  ): Promise<{ rows: SessionView[]; total: number }> {
    const token = await this.resolveUserToken(ctx, mode, identity);
    const now = this.now();
    const page = await this.driver.listByOwner("session", this.ownerKey(ctx, token), now, offset, limit);
    const rows: SessionView[] = [];
    for (const record of page.records) {
      const payload = await this.openSession(ctx, record);
      rows.push(this.view(payload, record, { lastUsed: record.lastUsed, expires: record.expiresAt }));
    }
    return { rows, total: page.total };
  }

  async sessionRevokeUser(ctx: CallContext, mode: Mode, identity: string, keep: string[] = []): Promise<number> {
    const token = await this.resolveUserToken(ctx, mode, identity);
    return this.driver.deleteByOwner(
      "session",
      this.ownerKey(ctx, token),
      keep.map((id) => this.sessionKey(ctx, id)),
      this.now(),
    );
  }

  // ---- users ----------------------------------------------------------------------

  /** A user's token from any identity; 404 when no live user has it. */
  private async resolveUserToken(ctx: CallContext, mode: Mode, identity: string): Promise<string> {
    if (mode === "token") return identity;
    const found = await this.findUser(ctx, mode, identity);
    if (!found) throw notFound("user not found");
    return found.payload.t;
  }

  private async findUser(
    ctx: CallContext,
    mode: Mode,
    identity: string,
  ): Promise<{ record: StoredRecord; payload: UserPayload } | null> {
    const now = this.now();
    const key =
      mode === "token"
        ? this.userKey(ctx, identity)
        : await this.driver.indexGet(this.identityIndex(ctx, mode, identity), now);
    if (!key) return null;
    const record = await this.driver.get("user", key, now);
    if (!record) return null;
    const payload = await this.open<UserPayload>(ctx, record);
    if (typeof payload !== "object" || payload === null || typeof payload.t !== "string") throw new IntegrityError();
    if (mode === "token" && payload.t !== identity) throw new IntegrityError();
    return { record, payload };
  }

  /**
   * Claims an index name for a record key. A name left behind by a record that no
   * longer exists (a crash between steps, an expired owner) is taken over.
   */
  private async claim(name: string, key: string, kind: RecordKind, expiresAt: number | null): Promise<boolean> {
    const now = this.now();
    if (await this.driver.indexPut(name, key, expiresAt, now)) return true;
    const holder = await this.driver.indexGet(name, now);
    if (holder === key) return true;
    if (holder !== null && (await this.driver.get(kind, holder, now))) return false;
    await this.driver.indexDelete(name);
    return this.driver.indexPut(name, key, expiresAt, now);
  }

  private identitiesOf(ctx: CallContext, profile: Json): Map<string, IdentityMode> {
    const names = new Map<string, IdentityMode>();
    for (const mode of IDENTITY_MODES) {
      const value = profile[mode];
      if (typeof value === "string" && value.length > 0) names.set(this.identityIndex(ctx, mode, value), mode);
    }
    return names;
  }

  private async claimAll(names: Map<string, IdentityMode>, key: string, expiresAt: number | null): Promise<void> {
    const claimed: string[] = [];
    for (const [name, mode] of names) {
      if (await this.claim(name, key, "user", expiresAt)) {
        claimed.push(name);
        continue;
      }
      for (const done of claimed) await this.driver.indexDelete(done);
      throw conflict(`profile.${mode}: another user already has this ${mode}`);
    }
  }

  async userCreate(
    ctx: CallContext,
    body: { profile: Json; slidingtime?: string; finaltime?: string | number },
  ): Promise<{ token: string }> {
    const now = this.now();
    const token = randomUUID();
    const key = this.userKey(ctx, token);
    const sliding = body.slidingtime !== undefined ? parseDuration(body.slidingtime, "slidingtime") : null;
    const finalAt = body.finaltime !== undefined ? parseFinalTime(body.finaltime, now) : null;
    const names = this.identitiesOf(ctx, body.profile);
    await this.claimAll(names, key, finalAt);
    const payload: UserPayload = { t: token, p: body.profile, c: now, s: sliding, f: finalAt };
    const stored = await this.driver.put(
      {
        kind: "user",
        key,
        blob: await this.seal(ctx, "user", key, payload),
        version: 1,
        expiresAt: expiryAt(now, sliding, finalAt),
        lastUsed: now,
        owner: null,
      },
      { expectVersion: 0, now },
    );
    if (!stored) {
      // A fresh random token cannot collide; if storage says otherwise, leave nothing claimed.
      for (const name of names.keys()) await this.driver.indexDelete(name);
      throw busy("could not create the user; retry");
    }
    return { token };
  }

  async userGet(ctx: CallContext, mode: Mode, identity: string): Promise<{ token: string; profile: Json }> {
    const found = await this.findUser(ctx, mode, identity);
    if (!found) throw notFound("user not found");
    await this.markUsed(found.record, found.payload.s, found.payload.f, this.now());
    return { token: found.payload.t, profile: found.payload.p };
  }

  async userUpdate(ctx: CallContext, mode: Mode, identity: string, profile: Json): Promise<void> {
    const first = await this.findUser(ctx, mode, identity);
    if (!first) throw notFound("user not found");
    await this.readModifyWrite(`user:${first.record.key}`, "user", async () => {
      const found = await this.findUser(ctx, mode, identity);
      if (!found) throw notFound("user not found");
      const { record, payload } = found;
      const before = this.identitiesOf(ctx, payload.p);
      const after = this.identitiesOf(ctx, profile);
      const added = new Map([...after].filter(([name]) => !before.has(name)));
      await this.claimAll(added, record.key, payload.f);
      const now = this.now();
      const ok = await this.driver.put(
        {
          ...record,
          blob: await this.seal(ctx, "user", record.key, { ...payload, p: profile } satisfies UserPayload),
          version: record.version + 1,
          expiresAt: expiryAt(now, payload.s, payload.f),
          lastUsed: now,
        },
        { expectVersion: record.version, now },
      );
      if (!ok) {
        for (const name of added.keys()) await this.driver.indexDelete(name);
        return null;
      }
      for (const name of before.keys()) if (!after.has(name)) await this.driver.indexDelete(name);
      return true;
    });
  }

  async userDelete(ctx: CallContext, mode: Mode, identity: string): Promise<void> {
    const found = await this.findUser(ctx, mode, identity);
    if (!found) throw notFound("user not found");
    await this.driver.delete("user", found.record.key);
    for (const name of this.identitiesOf(ctx, found.payload.p).keys()) {
      if ((await this.driver.indexGet(name, this.now())) === found.record.key) await this.driver.indexDelete(name);
    }
  }

  // ---- tokens ---------------------------------------------------------------------

  async tokenCreate(
    ctx: CallContext,
    body: { tokentype: string; record: string; unique?: boolean; slidingtime?: string; finaltime?: string | number },
    field = "record",
  ): Promise<{ tokenuuid: string; tokenbase: string }> {
    if (body.tokentype === "creditcard" && !isCardNumber(body.record)) {
      throw badRequest(`${field}: must be a card number of 12 to 19 digits that passes the Luhn check`);
    }
    const now = this.now();
    const sliding = body.slidingtime !== undefined ? parseDuration(body.slidingtime, "slidingtime") : null;
    const finalAt = body.finaltime !== undefined ? parseFinalTime(body.finaltime, now) : null;
    const valueName = body.unique ? this.tokenValueIndex(ctx, body.tokentype, body.record) : null;
    if (!valueName) return this.createTokenOnce(ctx, body, now, sliding, finalAt, null);
    // Unique values queue per value, so racers of one instance find the first one's token.
    return this.locks.run(`tokenvalue:${valueName}`, () =>
      this.createTokenOnce(ctx, body, now, sliding, finalAt, valueName),
    );
  }

  private async createTokenOnce(
    ctx: CallContext,
    body: { tokentype: string; record: string; unique?: boolean },
    now: number,
    sliding: number | null,
    finalAt: number | null,
    valueName: string | null,
  ): Promise<{ tokenuuid: string; tokenbase: string }> {
    for (let attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
      if (attempt > 0) await backoff(attempt);
      if (valueName) {
        const existing = await this.existingToken(ctx, valueName);
        if (existing) return existing;
      }
      const tokenuuid = randomUUID();
      const key = this.tokenKey(ctx, tokenuuid);
      let tokenbase = "";
      let baseName = "";
      for (let tries = 0; ; tries++) {
        tokenbase = body.tokentype === "creditcard" ? cardTokenBase(body.record) : genericTokenBase(body.record);
        baseName = this.tokenBaseIndex(ctx, tokenbase);
        if (await this.claim(baseName, key, "token", finalAt)) break;
        if (tries > 32) throw busy("could not allocate a unique token; retry");
      }
      if (valueName && !(await this.claim(valueName, key, "token", finalAt))) {
        await this.driver.indexDelete(baseName);
        continue;
      }
      const payload: TokenPayload = {
        u: tokenuuid,
        b: tokenbase,
        y: body.tokentype,
        r: body.record,
        q: Boolean(body.unique),
        c: now,
        s: sliding,
        f: finalAt,
      };
      const stored = await this.driver.put(
        {
          kind: "token",
          key,
          blob: await this.seal(ctx, "token", key, payload),
          version: 1,
          expiresAt: expiryAt(now, sliding, finalAt),
          lastUsed: now,
          owner: null,
        },
        { expectVersion: 0, now },
      );
      if (stored) return { tokenuuid, tokenbase };
      await this.driver.indexDelete(baseName);
      if (valueName) await this.driver.indexDelete(valueName);
    }
    throw busy("too many concurrent writes for this value; retry");
  }

  private async existingToken(ctx: CallContext, valueName: string) {
    const now = this.now();
    const key = await this.driver.indexGet(valueName, now);
    if (!key) return null;
    const record = await this.driver.get("token", key, now);
    if (!record) return null;
    const payload = await this.open<TokenPayload>(ctx, record);
    return { tokenuuid: payload.u, tokenbase: payload.b };
  }

  private async findToken(
    ctx: CallContext,
    token: string,
  ): Promise<{ record: StoredRecord; payload: TokenPayload } | null> {
    const now = this.now();
    let record = await this.driver.get("token", this.tokenKey(ctx, token), now);
    if (!record) {
      const key = await this.driver.indexGet(this.tokenBaseIndex(ctx, token), now);
      if (key) record = await this.driver.get("token", key, now);
    }
    if (!record) return null;
    const payload = await this.open<TokenPayload>(ctx, record);
    if (typeof payload !== "object" || payload === null || (payload.u !== token && payload.b !== token)) {
      throw new IntegrityError();
    }
    return { record, payload };
  }

  async tokenGet(ctx: CallContext, token: string): Promise<{ record: string; tokentype: string }> {
    const found = await this.findToken(ctx, token);
    if (!found) throw notFound("token not found");
    await this.markUsed(found.record, found.payload.s, found.payload.f, this.now());
    return { record: found.payload.r, tokentype: found.payload.y };
  }

  async tokenDelete(ctx: CallContext, token: string): Promise<void> {
    const found = await this.findToken(ctx, token);
    if (!found) throw notFound("token not found");
    const { record, payload } = found;
    await this.driver.delete("token", record.key);
    const names = [this.tokenBaseIndex(ctx, payload.b)];
    if (payload.q) names.push(this.tokenValueIndex(ctx, payload.y, payload.r));
    for (const name of names) {
      if ((await this.driver.indexGet(name, this.now())) === record.key) await this.driver.indexDelete(name);
    }
  }

  /** Hash of a record key for the audit log. */
  auditTarget(key: string): string {
    return this.keyring.auditHash(key);
  }

  /** The tenant as it appears in the audit log. */
  auditTenant(ctx: CallContext): string | null {
    return ctx.tenant === null ? null : this.keyring.tenantTag(ctx.tenant);
  }
}

/**
 * Session plaintext: the metadata as one JSON line, then the data as JSON. JSON text never
 * holds a raw newline, so the first one splits them, and a read hands the data on as text.
 */
function encodeSession(payload: SessionPayload): Buffer {
  const { d, ...meta } = payload;
  return Buffer.from(`${JSON.stringify(meta)}\n${d instanceof RawJson ? d.text : JSON.stringify(d)}`);
}

function decodeSession(text: string): OpenedSession | null {
  const split = text.indexOf("\n");
  let meta: unknown;
  let data: string | undefined;
  try {
    if (split === -1) {
      // Sealed before the split format: one JSON object with the data under `d`.
      meta = JSON.parse(text);
      data = JSON.stringify((meta as { d?: unknown } | null)?.d);
    } else {
      meta = JSON.parse(text.slice(0, split));
      data = text.slice(split + 1);
    }
  } catch {
    return null;
  }
  if (typeof meta !== "object" || meta === null || data === undefined) return null;
  return { ...(meta as SessionPayload), d: new RawJson(data) };
}

function normalizeIdentity(mode: IdentityMode, value: string): string {
  return mode === "email" ? value.trim().toLowerCase() : value;
}

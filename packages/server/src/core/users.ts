import { randomUUID } from "node:crypto";
import type { CallContext, Json, Mode } from "./context.js";
import type { CoreDeps } from "./deps.js";
import { BusyError, NotFoundError } from "./errors.js";
import type { Identities } from "./identity.js";
import { releaseIndex } from "./index-claims.js";
import type { UserPayload } from "./record-codec.js";
import { markUsed } from "./usage.js";
import { expiryAt, parseDuration, parseFinalTime } from "./windows.js";

/** RFC 7396 JSON merge patch: objects merge key by key, `null` deletes, anything else replaces. */
export function mergePatch(target: Json, patch: Json): Json {
  const out: Json = { ...target };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else if (typeof value === "object" && !Array.isArray(value)) {
      const current = out[key];
      const base = current !== null && typeof current === "object" && !Array.isArray(current) ? (current as Json) : {};
      out[key] = mergePatch(base, value as Json);
    } else out[key] = value;
  }
  return out;
}

export interface UserCreateInput {
  profile: Json;
  slidingtime?: string;
  finaltime?: string | number;
}

/** User profiles (the PII vault): create, read, update and delete by any identity. */
export class Users {
  constructor(
    private readonly deps: CoreDeps,
    private readonly identities: Identities,
  ) {}

  /** The storage key of a user token (also what the audit log hashes). */
  key(ctx: CallContext, token: string): string {
    return this.deps.keys.user(ctx, token);
  }

  async create(ctx: CallContext, body: UserCreateInput): Promise<{ token: string }> {
    const { driver, sealed } = this.deps;
    const now = this.deps.now();
    const token = randomUUID();
    const key = this.key(ctx, token);
    const sliding = body.slidingtime !== undefined ? parseDuration(body.slidingtime, "slidingtime") : null;
    const final = body.finaltime !== undefined ? parseFinalTime(body.finaltime, now, now) : null;
    const names = this.identities.of(ctx, body.profile);
    const payload: UserPayload = { token, profile: body.profile, created: now, sliding, final };
    const stored = await driver.put(
      {
        kind: "user",
        key,
        blob: await sealed.sealUser(ctx, key, payload),
        version: 1,
        expiresAt: expiryAt(now, sliding, final),
        lastUsed: now,
        owner: null,
      },
      { expectVersion: 0, now },
    );
    // A fresh random token cannot collide; if storage says otherwise, nothing was claimed.
    if (!stored) throw new BusyError("could not create the user; retry");
    // The record first, then its identities: a concurrent create of the same identity then
    // finds a live holder and gets the conflict, on one instance or many.
    try {
      await this.identities.claimAll(names, key, final);
    } catch (error) {
      await driver.delete("user", key);
      throw error;
    }
    return { token };
  }

  async get(ctx: CallContext, mode: Mode, identity: string): Promise<{ token: string; profile: Json }> {
    const found = await this.identities.find(ctx, mode, identity);
    if (!found) throw new NotFoundError("user not found");
    await markUsed(this.deps.driver, found.record, found.payload, this.deps.now(), this.deps.touchGranularityMs);
    return { token: found.payload.token, profile: found.payload.profile };
  }

  /**
   * Merges `patch` into the stored profile as a JSON merge patch (RFC 7396), as Databunker
   * does: fields it leaves out are kept, `null` removes one. Identity lookups follow the
   * merged profile: a changed email is found by its new value, no longer by the old one.
   */
  async update(ctx: CallContext, mode: Mode, identity: string, patch: Json): Promise<void> {
    const { driver, sealed } = this.deps;
    const first = await this.identities.find(ctx, mode, identity);
    if (!first) throw new NotFoundError("user not found");
    await this.deps.writes.run(`user:${first.record.key}`, "user", async () => {
      const found = await this.identities.find(ctx, mode, identity);
      if (!found) throw new NotFoundError("user not found");
      const { record, payload } = found;
      const merged = mergePatch(payload.profile, patch);
      const before = this.identities.of(ctx, payload.profile);
      const after = this.identities.of(ctx, merged);
      const added = new Map([...after].filter(([name]) => !before.has(name)));
      await this.identities.claimAll(added, record.key, payload.final);
      const now = this.deps.now();
      const ok = await driver.put(
        {
          ...record,
          blob: await sealed.sealUser(ctx, record.key, { ...payload, profile: merged }),
          version: record.version + 1,
          expiresAt: expiryAt(now, payload.sliding, payload.final),
          lastUsed: now,
        },
        { expectVersion: record.version, now },
      );
      if (!ok) {
        await releaseIndex(driver, added.keys(), record.key);
        return null;
      }
      await releaseIndex(
        driver,
        [...before.keys()].filter((name) => !after.has(name)),
        record.key,
      );
      return true;
    });
  }

  async delete(ctx: CallContext, mode: Mode, identity: string): Promise<void> {
    const { driver } = this.deps;
    const found = await this.identities.find(ctx, mode, identity);
    if (!found) throw new NotFoundError("user not found");
    // Erasure ends the user's sessions too: before, and again after, so a session linked
    // while the user was being deleted does not outlive it.
    const owner = this.deps.keys.owner(ctx, found.payload.token);
    await driver.deleteByOwner("session", owner, [], this.deps.now());
    await driver.delete("user", found.record.key);
    await driver.deleteByOwner("session", owner, [], this.deps.now());
    await releaseIndex(driver, this.identities.of(ctx, found.payload.profile).keys(), found.record.key);
  }
}

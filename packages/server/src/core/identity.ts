import { IntegrityError } from "../crypto/keyring.js";
import type { StoredRecord } from "../storage/types.js";
import { type CallContext, IDENTITY_MODES, type IdentityMode, type Json, type Mode } from "./context.js";
import type { CoreDeps } from "./deps.js";
import { ConflictError, NotFoundError } from "./errors.js";
import { claimIndex } from "./index-claims.js";
import type { UserPayload } from "./record-codec.js";

/**
 * A user's identities (login, email, phone, custom): the unique index names that find a
 * user by any of them, and the lookups by mode.
 */
export class Identities {
  constructor(private readonly deps: CoreDeps) {}

  /** The index names a profile claims, each with the mode it came from. */
  of(ctx: CallContext, profile: Json): Map<string, IdentityMode> {
    const names = new Map<string, IdentityMode>();
    for (const mode of IDENTITY_MODES) {
      const value = profile[mode];
      if (typeof value === "string" && value.length > 0) names.set(this.deps.keys.identity(ctx, mode, value), mode);
    }
    return names;
  }

  /**
   * Claims every name for `key`, or none: a taken one is a conflict naming its mode. The
   * user record must be stored first, so a racer sees a live holder, never an orphan.
   */
  async claimAll(names: Map<string, IdentityMode>, key: string, expiresAt: number | null): Promise<void> {
    const { driver } = this.deps;
    const claimed: string[] = [];
    for (const [name, mode] of names) {
      if (await claimIndex(driver, this.deps.now(), name, key, "user", expiresAt)) {
        claimed.push(name);
        continue;
      }
      for (const done of claimed) await driver.indexDelete(done, key);
      throw new ConflictError(`profile.${mode}: another user already has this ${mode}`);
    }
  }

  /** The live user named by `identity` in `mode`, or null. */
  async find(
    ctx: CallContext,
    mode: Mode,
    identity: string,
  ): Promise<{ record: StoredRecord; payload: UserPayload } | null> {
    const { driver, keys, sealed } = this.deps;
    const now = this.deps.now();
    const key =
      mode === "token" ? keys.user(ctx, identity) : await driver.indexGet(keys.identity(ctx, mode, identity), now);
    if (!key) return null;
    const record = await driver.get("user", key, now);
    if (!record) return null;
    const payload = await sealed.openUser(ctx, record);
    if (mode === "token" && payload.token !== identity) throw new IntegrityError();
    return { record, payload };
  }

  /** A user's token from any identity; NotFound when no live user has it. */
  async token(ctx: CallContext, mode: Mode, identity: string): Promise<string> {
    if (mode === "token") return identity;
    const found = await this.find(ctx, mode, identity);
    if (!found) throw new NotFoundError("user not found");
    return found.payload.token;
  }
}

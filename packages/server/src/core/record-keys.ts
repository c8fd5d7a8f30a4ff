import type { Keyring } from "../crypto/keyring.js";
import type { CallContext, IdentityMode } from "./context.js";

/**
 * The storage names of records and index entries: keyed hashes (HMAC) of the caller's
 * ids, scoped to the tenant, so storage never holds a raw session id, token or identity.
 */
export class RecordKeys {
  constructor(private readonly keyring: Keyring) {}

  private scope(ctx: CallContext): string {
    return ctx.tenant ?? "";
  }

  session(ctx: CallContext, id: string): string {
    return this.keyring.hash("session", this.scope(ctx), id);
  }
  user(ctx: CallContext, token: string): string {
    return this.keyring.hash("user", this.scope(ctx), token);
  }
  /** The owner link a session carries: names its user without revealing the token. */
  owner(ctx: CallContext, token: string): string {
    return this.keyring.hash("owner", this.scope(ctx), token);
  }
  identity(ctx: CallContext, mode: IdentityMode, value: string): string {
    return this.keyring.hash("identity", this.scope(ctx), mode, normalizeIdentity(mode, value));
  }
  token(ctx: CallContext, uuid: string): string {
    return this.keyring.hash("token", this.scope(ctx), uuid);
  }
  tokenBase(ctx: CallContext, base: string): string {
    return this.keyring.hash("tokenbase", this.scope(ctx), base);
  }
  tokenValue(ctx: CallContext, type: string, record: string): string {
    return this.keyring.hash("tokenvalue", this.scope(ctx), type, record);
  }

  /** The tenant tag bound into every sealed record's associated data. */
  tenantTag(ctx: CallContext): string {
    return this.keyring.tenantTag(ctx.tenant);
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

function normalizeIdentity(mode: IdentityMode, value: string): string {
  return mode === "email" ? value.trim().toLowerCase() : value;
}

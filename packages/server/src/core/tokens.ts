import { randomUUID } from "node:crypto";
import { IntegrityError } from "../crypto/keyring.js";
import type { StoredRecord } from "../storage/types.js";
import type { CallContext } from "./context.js";
import type { CoreDeps } from "./deps.js";
import { BusyError, InvalidInputError, NotFoundError } from "./errors.js";
import { claimIndex, releaseIndex } from "./index-claims.js";
import { backoff, MAX_CAS_ATTEMPTS } from "./read-modify-write.js";
import type { TokenPayload } from "./record-codec.js";
import { cardTokenBase, genericTokenBase, isCardNumber } from "./token-format.js";
import { markUsed } from "./usage.js";
import { expiryAt, parseDuration, parseFinalTime } from "./windows.js";

export interface TokenCreateInput {
  tokentype: string;
  record: string;
  unique?: boolean;
  /** Also accept the token base as a lookup key (TokenGet, TokenDelete). Off by default. */
  baselookup?: boolean;
  slidingtime?: string;
  finaltime?: string | number;
}

interface Window {
  now: number;
  sliding: number | null;
  final: number | null;
}

/** Tokens for single values (card numbers, ...): create with a token base, read, delete. */
export class Tokens {
  constructor(private readonly deps: CoreDeps) {}

  /** The storage key of a token uuid (also what the audit log hashes). */
  key(ctx: CallContext, uuid: string): string {
    return this.deps.keys.token(ctx, uuid);
  }

  /** `field` names the record in error messages (`records.3.record` in a bulk call). */
  async create(
    ctx: CallContext,
    body: TokenCreateInput,
    field = "record",
  ): Promise<{ tokenuuid: string; tokenbase: string }> {
    if (body.tokentype === "creditcard" && !isCardNumber(body.record)) {
      throw new InvalidInputError(`${field}: must be a card number of 12 to 19 digits that passes the Luhn check`);
    }
    const now = this.deps.now();
    const window: Window = {
      now,
      sliding: body.slidingtime !== undefined ? parseDuration(body.slidingtime, "slidingtime") : null,
      final: body.finaltime !== undefined ? parseFinalTime(body.finaltime, now, now) : null,
    };
    const valueName = body.unique ? this.deps.keys.tokenValue(ctx, body.tokentype, body.record) : null;
    if (!valueName) return this.createOnce(ctx, body, window, null);
    // Unique values queue per value, so racers of one instance find the first one's token.
    return this.deps.writes.serialize(`tokenvalue:${valueName}`, () => this.createOnce(ctx, body, window, valueName));
  }

  private async createOnce(
    ctx: CallContext,
    body: TokenCreateInput,
    window: Window,
    valueName: string | null,
  ): Promise<{ tokenuuid: string; tokenbase: string }> {
    const { driver, keys, sealed } = this.deps;
    const { now, sliding, final } = window;
    for (let attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
      if (attempt > 0) await backoff(attempt);
      if (valueName) {
        const existing = await this.existing(ctx, valueName);
        if (existing) return existing;
      }
      const tokenuuid = randomUUID();
      const key = this.key(ctx, tokenuuid);
      // The record first, then its names: a racer claiming the same name then finds a live
      // holder, on one instance or many. A base taken by another token means a new base.
      // Without `baselookup` the base names nothing: looking it up is the same miss as an
      // unknown token, with the same storage reads.
      const lookup = Boolean(body.baselookup);
      let tokenbase = "";
      let baseName = "";
      for (let tries = 0; ; tries++) {
        if (tries > 32) throw new BusyError("could not allocate a unique token; retry");
        tokenbase = body.tokentype === "creditcard" ? cardTokenBase(body.record) : genericTokenBase(body.record);
        const payload: TokenPayload = {
          uuid: tokenuuid,
          base: tokenbase,
          type: body.tokentype,
          record: body.record,
          unique: Boolean(body.unique),
          lookup,
          created: now,
          sliding,
          final,
        };
        const stored = await driver.put(
          {
            kind: "token",
            key,
            blob: await sealed.sealToken(ctx, key, payload),
            version: tries + 1,
            expiresAt: expiryAt(now, sliding, final),
            lastUsed: now,
            owner: null,
          },
          { expectVersion: tries, now },
        );
        if (!stored) throw new BusyError("could not create the token; retry");
        if (!lookup) break;
        baseName = keys.tokenBase(ctx, tokenbase);
        if (await claimIndex(driver, this.deps.now(), baseName, key, "token", final)) break;
      }
      if (valueName && !(await claimIndex(driver, this.deps.now(), valueName, key, "token", final))) {
        // Another instance created this unique value first: hand out its token instead.
        await driver.delete("token", key);
        if (baseName) await driver.indexDelete(baseName, key);
        continue;
      }
      return { tokenuuid, tokenbase };
    }
    throw new BusyError("too many concurrent writes for this value; retry");
  }

  private async existing(ctx: CallContext, valueName: string) {
    const { driver, sealed } = this.deps;
    const now = this.deps.now();
    const key = await driver.indexGet(valueName, now);
    if (!key) return null;
    const record = await driver.get("token", key, now);
    if (!record) return null;
    const payload = await sealed.openToken(ctx, record);
    return { tokenuuid: payload.uuid, tokenbase: payload.base };
  }

  /**
   * A token by its uuid, or by its token base when it was created with `baselookup`. A
   * base of any other token is not found, exactly as an unknown token (tokens of earlier
   * vaults keep a base index entry; it is ignored).
   */
  private async find(ctx: CallContext, token: string): Promise<{ record: StoredRecord; payload: TokenPayload } | null> {
    const { driver, keys, sealed } = this.deps;
    const now = this.deps.now();
    let record = await driver.get("token", this.key(ctx, token), now);
    if (!record) {
      const key = await driver.indexGet(keys.tokenBase(ctx, token), now);
      if (key) record = await driver.get("token", key, now);
    }
    if (!record) return null;
    const payload = await sealed.openToken(ctx, record);
    if (payload.uuid !== token && payload.base !== token) throw new IntegrityError();
    if (payload.uuid !== token && !payload.lookup) return null;
    return { record, payload };
  }

  async get(ctx: CallContext, token: string): Promise<{ record: string; tokentype: string }> {
    const found = await this.find(ctx, token);
    if (!found) throw new NotFoundError("token not found");
    await markUsed(this.deps.driver, found.record, found.payload, this.deps.now(), this.deps.touchGranularityMs);
    return { record: found.payload.record, tokentype: found.payload.type };
  }

  async delete(ctx: CallContext, token: string): Promise<void> {
    const { driver, keys } = this.deps;
    const found = await this.find(ctx, token);
    if (!found) throw new NotFoundError("token not found");
    const { record, payload } = found;
    await driver.delete("token", record.key);
    const names = [keys.tokenBase(ctx, payload.base)];
    if (payload.unique) names.push(keys.tokenValue(ctx, payload.type, payload.record));
    await releaseIndex(driver, names, record.key);
  }
}

import { VaultValidationError } from "./errors.js";
import { DEFAULT_RETRY, NO_RETRY, type RetryPolicy } from "./retry.js";
import {
  badReply,
  createTransport,
  GONE_AFTER_RETRY,
  IDEMPOTENT,
  isObject,
  type Json,
  MISSING_IS_NULL,
  type RequestBody,
} from "./transport.js";
import type {
  CallOptions,
  Mode,
  PatchSessionOptions,
  Profile,
  SessionPatch,
  TokenType,
  UpsertSessionOptions,
  VaultClient,
  VaultClientOptions,
  VaultSession,
  VaultSessionRow,
  WindowOptions,
} from "./types.js";

const DEFAULT_TIMEOUT_MS = 5000;
const MAX_TIMER_MS = 2_147_483_647;

function resolveRetry(retry: VaultClientOptions["retry"]): RetryPolicy {
  if (retry === false) return NO_RETRY;
  const policy = { ...DEFAULT_RETRY };
  for (const key of ["retries", "minDelayMs", "maxDelayMs"] as const) {
    const value = retry?.[key] ?? policy[key];
    if (typeof value !== "number" || !(value >= 0 && value <= MAX_TIMER_MS)) {
      throw new VaultValidationError("createVaultClient", 0, `retry.${key} must be a number >= 0 and <= 2147483647`);
    }
    policy[key] = value;
  }
  policy.retries = Math.floor(policy.retries);
  return policy;
}

/** Header names are case-insensitive: lower-case them so the auth headers always win. */
function lowerCaseKeys(
  extra: Record<string, string> | undefined,
  auth: Record<string, string>,
): Record<string, string> {
  const result: Record<string, string> = {};
  if (extra !== undefined) for (const [name, value] of Object.entries(extra)) result[name.toLowerCase()] = value;
  return Object.assign(result, auth);
}

function windowFields(options: WindowOptions | undefined, body: Json): void {
  if (options === undefined) return;
  if (options.slidingtime !== undefined) body.slidingtime = options.slidingtime;
  if (options.finaltime !== undefined) body.finaltime = options.finaltime;
}

function writeFields(options: UpsertSessionOptions | undefined, body: Json): void {
  if (options === undefined) return;
  windowFields(options, body);
  // The contract unlinks with "", keeps the link when the field is absent.
  if (options.usertoken !== undefined) body.usertoken = options.usertoken ?? "";
  if (options.expectversion !== undefined) body.expectversion = options.expectversion;
}

function readSession<T>(operation: string, status: number, row: Json): VaultSession<T> {
  const data = row.sessiondata;
  if (!isObject(data)) throw badReply(operation, status, "the vault's reply has no `sessiondata` object");
  const { version, created, lastused, expires, usertoken } = row;
  return {
    data: data as T,
    version: typeof version === "number" ? version : 0,
    created: typeof created === "number" ? created : 0,
    lastused: typeof lastused === "number" ? lastused : 0,
    expires: typeof expires === "number" ? expires : null,
    usertoken: typeof usertoken === "string" && usertoken !== "" ? usertoken : null,
  };
}

function readVersion(body: Json): { version: number } {
  return { version: typeof body.version === "number" ? body.version : 0 };
}

function stringField(operation: string, status: number, body: Json, field: string): string {
  const value = body[field];
  if (typeof value !== "string") throw badReply(operation, status, `the vault's reply has no \`${field}\` string`);
  return value;
}

/**
 * Creates a typed client for a sessionvault (or Databunker Pro v2) server.
 *
 * The client uses only `fetch`, `AbortController` and timers, so it runs in Node
 * (>= 18), Deno, Bun, browsers and edge runtimes such as Next.js middleware.
 * Connections are reused through the runtime's fetch keep-alive. Redirects are never
 * followed, so the access token is never sent to another URL.
 *
 * @throws {VaultValidationError} when an option is invalid (status `0`).
 * @example
 * ```ts
 * import { createVaultClient } from "@sessionvault/client";
 *
 * const vault = createVaultClient({ baseUrl: "http://127.0.0.1:4700", token: "DEMO" });
 * await vault.upsertSession("s3ss10n-1d-from-cookie", { user: "ada" }, { slidingtime: "30m" });
 * const session = await vault.getSession<{ user: string }>("s3ss10n-1d-from-cookie");
 * ```
 */
export function createVaultClient(options: VaultClientOptions): VaultClient {
  const { baseUrl, token, tenant, timeoutMs = DEFAULT_TIMEOUT_MS, fetch: customFetch, headers } = options;
  if (typeof baseUrl !== "string" || !/^https?:\/\/[^/]/i.test(baseUrl)) {
    throw new VaultValidationError("createVaultClient", 0, "baseUrl must be an http:// or https:// URL");
  }
  if (typeof token !== "string" || token === "") {
    throw new VaultValidationError("createVaultClient", 0, "token must be a non-empty string");
  }
  if (tenant !== undefined && (typeof tenant !== "string" || tenant === "")) {
    throw new VaultValidationError("createVaultClient", 0, "tenant must be a non-empty string when given");
  }
  // Timers overflow (and fire at once) above 2^31 - 1 ms.
  if (typeof timeoutMs !== "number" || !(timeoutMs > 0 && timeoutMs <= MAX_TIMER_MS)) {
    throw new VaultValidationError("createVaultClient", 0, "timeoutMs must be a number > 0 and <= 2147483647");
  }
  const policy = resolveRetry(options.retry);

  const { raw, send } = createTransport({
    baseUrl,
    token,
    timeoutMs,
    policy,
    fetch: customFetch,
    headers: lowerCaseKeys(headers, {
      accept: "application/json",
      "x-bunker-token": token,
      ...(tenant === undefined ? {} : { "x-bunker-tenant": tenant }),
    }),
  });

  // Parameters take their types from VaultClient (types.ts, derived from the contract);
  // only the generic methods, which cannot be typed from context, restate them.
  const client: VaultClient = {
    raw,

    async upsertSession<T extends object>(id: string, data: T, options?: UpsertSessionOptions) {
      const body: RequestBody<"/v2/SessionUpsert"> = { sessionuuid: id, sessiondata: data as Json };
      writeFields(options, body);
      const flags = options?.expectversion === undefined ? IDEMPOTENT : 0;
      const reply = await send("/v2/SessionUpsert", body, options, flags);
      return readVersion(reply!);
    },

    async getSession<T extends object = Record<string, unknown>>(id: string, options?: CallOptions) {
      const reply = await send("/v2/SessionGet", { sessionuuid: id }, options, IDEMPOTENT | MISSING_IS_NULL);
      return reply === null ? null : readSession<T>("SessionGet", 200, reply);
    },

    async deleteSession(id, options) {
      await send("/v2/SessionDelete", { sessionuuid: id }, options, IDEMPOTENT);
    },

    async touchSession(id, options) {
      const body: RequestBody<"/v2/SessionTouch"> = { sessionuuid: id };
      if (options?.slidingtime !== undefined) body.slidingtime = options.slidingtime;
      const reply = await send("/v2/SessionTouch", body, options, IDEMPOTENT | MISSING_IS_NULL);
      if (reply === null) return null;
      return { expires: typeof reply.expires === "number" ? reply.expires : null };
    },

    async patchSession<T extends object>(id: string, patch: SessionPatch<T>, options?: PatchSessionOptions) {
      const body: RequestBody<"/v2/SessionPatch"> = { sessionuuid: id };
      if (patch.set !== undefined) body.set = patch.set as Json;
      if (patch.unset !== undefined) body.unset = patch.unset;
      writeFields(options, body);
      if (options?.create !== undefined) body.create = options.create;
      const flags = (options?.expectversion === undefined ? IDEMPOTENT : 0) | MISSING_IS_NULL;
      const reply = await send("/v2/SessionPatch", body, options, flags);
      return reply === null ? null : readVersion(reply);
    },

    async listUserSessions<T extends object = Record<string, unknown>>(
      mode: Mode,
      identity: string,
      options?: Parameters<VaultClient["listUserSessions"]>[2],
    ) {
      const body: RequestBody<"/v2/SessionListUserSessions"> = { mode, identity };
      if (options?.offset !== undefined) body.offset = options.offset;
      if (options?.limit !== undefined) body.limit = options.limit;
      const reply = (await send("/v2/SessionListUserSessions", body, options, IDEMPOTENT))!;
      const list: unknown = reply.rows;
      if (!Array.isArray(list)) throw badReply("SessionListUserSessions", 200, "the vault's reply has no `rows` array");
      const rows: VaultSessionRow<T>[] = list.map((row: unknown) => {
        if (!isObject(row))
          throw badReply("SessionListUserSessions", 200, "a row of the vault's reply is not an object");
        const sessionuuid = stringField("SessionListUserSessions", 200, row, "sessionuuid");
        return { sessionuuid, ...readSession<T>("SessionListUserSessions", 200, row) };
      });
      return { rows, total: typeof reply.total === "number" ? reply.total : rows.length };
    },

    async revokeUserSessions(mode, identity, options) {
      const body: RequestBody<"/v2/SessionRevokeUser"> = { mode, identity };
      if (options?.keep !== undefined) body.keep = options.keep;
      const reply = (await send("/v2/SessionRevokeUser", body, options, IDEMPOTENT))!;
      if (typeof reply.deleted !== "number")
        throw badReply("SessionRevokeUser", 200, "the vault's reply has no `deleted` count");
      return { deleted: reply.deleted };
    },

    async createUser(profile, options) {
      const body: RequestBody<"/v2/UserCreate"> = { profile };
      windowFields(options, body);
      const reply = (await send("/v2/UserCreate", body, options, 0))!;
      return { token: stringField("UserCreate", 200, reply, "token") };
    },

    async getUser(mode, identity, options) {
      const reply = await send("/v2/UserGet", { mode, identity }, options, IDEMPOTENT | MISSING_IS_NULL);
      if (reply === null) return null;
      const profile: unknown = reply.profile;
      if (!isObject(profile)) throw badReply("UserGet", 200, "the vault's reply has no `profile` object");
      return { token: stringField("UserGet", 200, reply, "token"), profile: profile as Profile };
    },

    async updateUser(mode, identity, profile, options) {
      await send("/v2/UserUpdate", { mode, identity, profile }, options, IDEMPOTENT);
    },

    async deleteUser(mode, identity, options) {
      await send("/v2/UserDelete", { mode, identity }, options, IDEMPOTENT | GONE_AFTER_RETRY);
    },

    async createToken(tokentype, record, options) {
      const body: RequestBody<"/v2/TokenCreate"> = { tokentype, record };
      if (options?.unique !== undefined) body.unique = options.unique;
      if (options?.baselookup !== undefined) body.baselookup = options.baselookup;
      windowFields(options, body);
      const reply = (await send("/v2/TokenCreate", body, options, options?.unique ? IDEMPOTENT : 0))!;
      return {
        tokenuuid: stringField("TokenCreate", 200, reply, "tokenuuid"),
        tokenbase: stringField("TokenCreate", 200, reply, "tokenbase"),
      };
    },

    async createTokens(records, options) {
      const body: RequestBody<"/v2/TokenCreateBulk"> = { records };
      if (options?.unique !== undefined) body.unique = options.unique;
      if (options?.baselookup !== undefined) body.baselookup = options.baselookup;
      windowFields(options, body);
      const flags = options?.unique ? IDEMPOTENT : 0;
      const reply = (await send("/v2/TokenCreateBulk", body, options, flags))!;
      const created: unknown = reply.created;
      if (!Array.isArray(created)) throw badReply("TokenCreateBulk", 200, "the vault's reply has no `created` array");
      return created.map((item: unknown) => {
        if (!isObject(item)) throw badReply("TokenCreateBulk", 200, "an item of the vault's reply is not an object");
        return {
          tokenuuid: stringField("TokenCreateBulk", 200, item, "tokenuuid"),
          tokenbase: stringField("TokenCreateBulk", 200, item, "tokenbase"),
          tokentype: stringField("TokenCreateBulk", 200, item, "tokentype") as TokenType,
        };
      });
    },

    async getToken(tokenValue, options) {
      const reply = await send("/v2/TokenGet", { token: tokenValue }, options, IDEMPOTENT | MISSING_IS_NULL);
      if (reply === null) return null;
      return {
        record: stringField("TokenGet", 200, reply, "record"),
        tokentype: stringField("TokenGet", 200, reply, "tokentype") as TokenType,
      };
    },

    async deleteToken(tokenValue, options) {
      await send("/v2/TokenDelete", { token: tokenValue }, options, IDEMPOTENT | GONE_AFTER_RETRY);
    },
  };
  return client;
}

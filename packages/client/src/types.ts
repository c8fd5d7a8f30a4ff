import type { Client } from "openapi-fetch";
import type { components, paths } from "./generated/schema.js";
import type { RetryOptions } from "./retry.js";

// Every type here that mirrors a contract shape is derived from the generated schema
// (src/generated/schema.ts, from openapi/sessionvault.yaml); test/types/contract.test-d.ts
// fails when one drifts. Members are restated only to keep their documentation, and
// then with the contract's type. The facade renames `sessiondata` to `data`, fills in
// what a Databunker server leaves out (so those fields are required), and unlinks a
// session with `usertoken: null` where the wire says `""`.
type Schemas = components["schemas"];
/** A contract reply without its `"status": "ok"` marker. */
type Reply<Name extends keyof Schemas> = Omit<Schemas[Name], "status">;
/** Session metadata as the facade reports it: always present, `0` / `null` when the server sends none. */
type Meta = Required<Schemas["SessionMeta"]>;

/**
 * How a user is looked up: by their vault token or by one of their identities.
 *
 * @example
 * ```ts
 * const mode: Mode = "email";
 * await vault.getUser(mode, "ada@example.com");
 * ```
 */
export type Mode = Schemas["Mode"];

/**
 * The kind of value a token stands for; `creditcard` tokens keep the format (Luhn-valid, same length).
 *
 * @example
 * ```ts
 * const type: TokenType = "creditcard";
 * await vault.createToken(type, "4111111111111111");
 * ```
 */
export type TokenType = Schemas["TokenType"];

/**
 * A PII profile. The string fields `login`, `email`, `phone` and `custom` are identities:
 * unique per tenant, and usable as `mode` + `identity` lookups.
 *
 * @example
 * ```ts
 * const profile: Profile = { email: "ada@example.com", name: "Ada Lovelace" };
 * ```
 */
export type Profile = Schemas["Profile"];

/**
 * The typed openapi-fetch client underneath the facade, with the base URL and the
 * auth headers already set. For operations the facade does not wrap; no timeout or
 * retry is applied to it.
 *
 * @example
 * ```ts
 * const { data } = await vault.raw.GET("/readyz");
 * ```
 */
export type VaultRawClient = Client<paths, "application/json">;

/**
 * Options of {@link createVaultClient}.
 *
 * @example
 * ```ts
 * const options: VaultClientOptions = {
 *   baseUrl: "http://127.0.0.1:4700",
 *   token: process.env.SESSIONVAULT_TOKEN ?? "DEMO",
 *   timeoutMs: 2000,
 * };
 * ```
 */
export interface VaultClientOptions {
  /** The vault's URL, e.g. `http://127.0.0.1:4700`; the client calls `${baseUrl}/v2/{Operation}`. */
  baseUrl: string;
  /** The access token, sent as `X-Bunker-Token`. Never appears in errors. */
  token: string;
  /** Tenant name, sent as `X-Bunker-Tenant`. */
  tenant?: string;
  /** Time limit of each attempt in milliseconds, including reading the reply. Default 5000. */
  timeoutMs?: number;
  /** Retry settings for operations that are safe to repeat, or `false` for none. Default 2 retries. */
  retry?: RetryOptions | false;
  /** The fetch implementation. Default: the global `fetch` at call time. */
  fetch?: typeof fetch;
  /** Extra headers on every request, e.g. for a proxy. Cannot override the auth headers. */
  headers?: Record<string, string>;
}

/**
 * Per-call options accepted by every method.
 *
 * @example
 * ```ts
 * const controller = new AbortController();
 * await vault.getSession(id, { signal: controller.signal, requestMetadata: { route: "/cart" } });
 * ```
 */
export interface CallOptions {
  /**
   * Cancels the call, including any retry wait. The promise then rejects with
   * `signal.reason` (a `DOMException` named `AbortError` unless you gave a reason).
   */
  signal?: AbortSignal;
  /** Caller context the vault keeps in its audit log (sent as `request_metadata`). No PII. */
  requestMetadata?: Schemas["RequestMetadata"];
}

/**
 * A record's expiry windows.
 *
 * @example
 * ```ts
 * await vault.upsertSession(id, data, { slidingtime: "30m", finaltime: "7d" });
 * ```
 */
export interface WindowOptions extends Pick<Schemas["SessionUpsertRequest"], "slidingtime" | "finaltime"> {
  /** Expire this long after the last read or write: `"30s"`, `"30m"`, `"1h"`, `"7d"`. */
  slidingtime?: Schemas["SlidingTime"];
  /** Expire this long after the first write (`"7d"`), or at this unix time in seconds. Never extended. */
  finaltime?: Schemas["FinalTime"];
}

/**
 * A stored session and its metadata. Times are unix milliseconds.
 *
 * `version`, `created`, `lastused`, `expires` and `usertoken` are sessionvault
 * extensions; a server that does not send them (Databunker) reports `0` and `null`.
 *
 * @example
 * ```ts
 * const session: VaultSession<{ cart: string[] }> | null = await vault.getSession(id);
 * session?.data.cart;
 * ```
 */
export interface VaultSession<T> extends Meta {
  /** The session data (`sessiondata` on the wire). */
  data: T;
  /** Starts at 1, grows by one on every write; use it with `expectversion`. */
  version: Meta["version"];
  /** When the session expires unless used again; `null` when it has no window. */
  expires: Meta["expires"];
  /** The linked user's vault token, or `null`. */
  usertoken: Meta["usertoken"];
}

/**
 * A session in a user's session list, with its id.
 *
 * @example
 * ```ts
 * const { rows } = await vault.listUserSessions("email", "ada@example.com");
 * const ids = rows.map((row: VaultSessionRow<Record<string, unknown>>) => row.sessionuuid);
 * ```
 */
export interface VaultSessionRow<T> extends VaultSession<T>, Pick<Schemas["SessionRow"], "sessionuuid"> {
  /** The session's id, as in the cookie. */
  sessionuuid: Schemas["SessionRow"]["sessionuuid"];
}

/**
 * Options of {@link VaultClient.upsertSession}.
 *
 * @example
 * ```ts
 * const options: UpsertSessionOptions = { slidingtime: "30m", usertoken: user.token, expectversion: 0 };
 * ```
 */
export interface UpsertSessionOptions
  extends WindowOptions,
    CallOptions,
    Pick<Schemas["SessionUpsertRequest"], "expectversion"> {
  /** Link the session to this user (a `UserCreate` token); `null` unlinks it; omitted keeps the link. */
  usertoken?: Schemas["UserToken"] | null;
  /** Write only if the stored version equals this; `0` means "must not exist yet". Disables retries. */
  expectversion?: Schemas["SessionUpsertRequest"]["expectversion"];
}

/**
 * Options of {@link VaultClient.patchSession}.
 *
 * @example
 * ```ts
 * const options: PatchSessionOptions = { create: true, slidingtime: "30m" };
 * ```
 */
export interface PatchSessionOptions extends UpsertSessionOptions, Pick<Schemas["SessionPatchRequest"], "create"> {
  /** Create the session when it is missing, instead of returning `null`. */
  create?: Schemas["SessionPatchRequest"]["create"];
}

/**
 * A top-level merge: keys in `set` replace the stored value, keys in `unset` are removed.
 *
 * @example
 * ```ts
 * const patch: SessionPatch<{ cart: string[]; flash: string }> = { set: { cart: [] }, unset: ["flash"] };
 * ```
 */
export interface SessionPatch<T> extends Pick<Schemas["SessionPatchRequest"], "unset"> {
  /** Keys to store, each replacing its stored value. */
  set?: Partial<T>;
}

/**
 * Options of {@link VaultClient.createToken} and {@link VaultClient.createTokens}.
 *
 * @example
 * ```ts
 * await vault.createToken("email", "ada@example.com", { unique: true, baselookup: true });
 * ```
 */
export interface CreateTokenOptions extends WindowOptions, CallOptions {
  /** Return the existing token when this exact value was tokenized before. */
  unique?: Schemas["TokenCreateRequest"]["unique"];
  /**
   * Also accept the returned `tokenbase` as a key for {@link VaultClient.getToken} and
   * {@link VaultClient.deleteToken}. Off by default: a base is guessable (a 12-digit
   * card's has about 23 random bits), so anyone with the vault's access token could
   * enumerate bases and read the values behind them. Without it, a base lookup finds
   * nothing, exactly like an unknown token.
   */
  baselookup?: Schemas["TokenCreateRequest"]["baselookup"];
}

/**
 * A token created by {@link VaultClient.createToken}.
 *
 * @example
 * ```ts
 * const { tokenuuid, tokenbase }: CreatedToken = await vault.createToken("creditcard", "4111111111111111");
 * ```
 */
export interface CreatedToken extends Reply<"TokenCreateResponse"> {
  /**
   * Format-preserving stand-in where the type allows (a Luhn-valid number for
   * `creditcard`); it keeps only separators and character classes. A lookup key only
   * with `baselookup: true`.
   */
  tokenbase: Schemas["TokenCreateResponse"]["tokenbase"];
}

/**
 * The typed facade over the vault's contract. Create one with {@link createVaultClient}
 * and share it: it holds no per-call state.
 *
 * Operations that are safe to repeat are retried on network errors, timeouts, 429 and
 * 502/503/504; see each method.
 *
 * @example
 * ```ts
 * const vault: VaultClient = createVaultClient({ baseUrl: "http://127.0.0.1:4700", token: "DEMO" });
 * await vault.upsertSession("s3ss10n-1d-from-cookie", { user: "ada" }, { slidingtime: "30m" });
 * ```
 */
export interface VaultClient {
  /**
   * Creates or replaces a session (`SessionUpsert`). Returns the new version (`0`
   * when the server does not report versions).
   *
   * Retried when `expectversion` is not set: writing the same data again leaves the
   * same record. With `expectversion` a repeat would fail its own version check, so
   * it is sent once.
   *
   * @example
   * ```ts
   * const { version } = await vault.upsertSession(id, { user: "ada" }, { slidingtime: "30m" });
   * ```
   */
  upsertSession<T extends object>(
    id: string,
    data: T,
    options?: UpsertSessionOptions,
  ): Promise<Required<Reply<"SessionWriteResponse">>>;

  /**
   * Reads a session (`SessionGet`); a read extends its sliding window. Returns
   * `null` when the session is missing or expired (the vault does not tell them apart).
   * Retried.
   *
   * @example
   * ```ts
   * const session = await vault.getSession<{ user: string }>(id);
   * if (session) console.log(session.data.user);
   * ```
   */
  getSession<T extends object = Record<string, unknown>>(
    id: string,
    options?: CallOptions,
  ): Promise<VaultSession<T> | null>;

  /**
   * Deletes a session (`SessionDelete`). Deleting a missing session succeeds. Retried.
   *
   * @example
   * ```ts
   * await vault.deleteSession(id);
   * ```
   */
  deleteSession(id: string, options?: CallOptions): Promise<void>;

  /**
   * Extends a session's sliding window without sending its data (`SessionTouch`,
   * a sessionvault extension). Returns the new expiry, or `null` when the session is
   * missing. Retried.
   *
   * @example
   * ```ts
   * const touched = await vault.touchSession(id, { slidingtime: "30m" });
   * if (touched === null) {
   *   // gone: treat the user as logged out
   * }
   * ```
   */
  touchSession(
    id: string,
    options?: CallOptions & Pick<Schemas["SessionTouchRequest"], "slidingtime">,
  ): Promise<Required<Reply<"SessionTouchResponse">> | null>;

  /**
   * Merges top-level keys into a session atomically (`SessionPatch`, an extension):
   * concurrent patches of different keys never lose a change. Returns `null` when
   * the session is missing and `create` is not set.
   *
   * Retried when `expectversion` is not set: `set` and `unset` assign absolute
   * values (there is no increment or append), so applying the same patch twice
   * leaves the same keys as applying it once, and keys the patch does not name are
   * never touched.
   *
   * @example
   * ```ts
   * await vault.patchSession<{ cart: string[]; flash: string }>(id, { set: { cart: ["sku-1"] }, unset: ["flash"] });
   * ```
   */
  patchSession<T extends object>(
    id: string,
    patch: SessionPatch<T>,
    options?: PatchSessionOptions,
  ): Promise<Required<Reply<"SessionWriteResponse">> | null>;

  /**
   * Lists a user's live sessions, most recently used first (`SessionListUserSessions`).
   * The user is found by any identity. `total` counts all live sessions before
   * `offset`/`limit` (the row count when the server does not report it). Throws
   * {@link VaultNotFoundError} for an unknown user. Retried.
   *
   * @example
   * ```ts
   * const { rows, total } = await vault.listUserSessions("email", "ada@example.com", { limit: 20 });
   * ```
   */
  listUserSessions<T extends object = Record<string, unknown>>(
    mode: Mode,
    identity: string,
    options?: CallOptions & Pick<Schemas["SessionListUserSessionsRequest"], "offset" | "limit">,
  ): Promise<Required<Omit<Reply<"SessionListUserSessionsResponse">, "rows">> & { rows: VaultSessionRow<T>[] }>;

  /**
   * Deletes every session of a user, except those in `keep` (`SessionRevokeUser`,
   * an extension): "sign out everywhere (else)". Retried: a repeat deletes what is
   * left, so `deleted` then counts the last attempt only.
   *
   * @example
   * ```ts
   * const { deleted } = await vault.revokeUserSessions("email", "ada@example.com", { keep: [currentId] });
   * ```
   */
  revokeUserSessions(
    mode: Mode,
    identity: string,
    options?: CallOptions & Pick<Schemas["SessionRevokeUserRequest"], "keep">,
  ): Promise<Reply<"SessionRevokeUserResponse">>;

  /**
   * Stores a PII profile encrypted and returns the token that stands in for it
   * (`UserCreate`). Sent once, never retried: a repeat would create a second user or
   * fail with a conflict on its own identities.
   *
   * @example
   * ```ts
   * const { token } = await vault.createUser({ email: "ada@example.com", name: "Ada" });
   * ```
   */
  createUser(profile: Profile, options?: WindowOptions & CallOptions): Promise<Reply<"UserCreateResponse">>;

  /**
   * Reads a profile by any identity (`UserGet`); `null` when there is none. Retried.
   *
   * @example
   * ```ts
   * const user = await vault.getUser("email", "ada@example.com");
   * ```
   */
  getUser(mode: Mode, identity: string, options?: CallOptions): Promise<Reply<"UserGetResponse"> | null>;

  /**
   * Merges changes into a profile; its token stays the same (`UserUpdate`). `profile`
   * is a JSON merge patch: fields it leaves out are kept, `null` removes a field.
   * Throws {@link VaultNotFoundError} for an unknown user. Retried: it writes absolute values.
   *
   * @example
   * ```ts
   * await vault.updateUser("token", user.token, { email: "ada@example.org", phone: null });
   * ```
   */
  updateUser(
    mode: Mode,
    identity: string,
    profile: Schemas["UserUpdateRequest"]["profile"],
    options?: CallOptions,
  ): Promise<void>;

  /**
   * Deletes a profile (`UserDelete`); its sessions stay (revoke them first). Throws
   * {@link VaultNotFoundError} for an unknown user. Retried; a 404 on a repeat counts
   * as success, because an earlier attempt may have deleted the user before its
   * reply was lost.
   *
   * @example
   * ```ts
   * await vault.revokeUserSessions("token", user.token);
   * await vault.deleteUser("token", user.token);
   * ```
   */
  deleteUser(mode: Mode, identity: string, options?: CallOptions): Promise<void>;

  /**
   * Replaces one sensitive value with a token (`TokenCreate`). Retried only with
   * `unique: true`, where a repeat returns the same token; otherwise a repeat would
   * mint a second token, so it is sent once.
   *
   * @example
   * ```ts
   * const { tokenbase } = await vault.createToken("creditcard", "4111111111111111", { unique: true });
   * ```
   */
  createToken(tokentype: TokenType, record: string, options?: CreateTokenOptions): Promise<CreatedToken>;

  /**
   * Tokenizes many values in one call, in order (`TokenCreateBulk`). Retried only
   * with `unique: true`, like {@link VaultClient.createToken}.
   *
   * @example
   * ```ts
   * const created = await vault.createTokens([{ tokentype: "email", record: "ada@example.com" }]);
   * ```
   */
  createTokens(
    records: Schemas["TokenCreateBulkRequest"]["records"],
    options?: CreateTokenOptions,
  ): Promise<(CreatedToken & Pick<Schemas["TokenCreateBulkResponse"]["created"][number], "tokentype">)[]>;

  /**
   * Reads the value behind a token, by its `tokenuuid`, or its `tokenbase` when it was
   * created with `baselookup: true` (`TokenGet`); `null` when there is none. Retried.
   *
   * @example
   * ```ts
   * const found = await vault.getToken(tokenuuid);
   * ```
   */
  getToken(token: string, options?: CallOptions): Promise<Reply<"TokenGetResponse"> | null>;

  /**
   * Deletes a token and its value (`TokenDelete`). Throws {@link VaultNotFoundError}
   * for an unknown token. Retried; a 404 on a repeat counts as success.
   *
   * @example
   * ```ts
   * await vault.deleteToken(tokenuuid);
   * ```
   */
  deleteToken(token: string, options?: CallOptions): Promise<void>;

  /**
   * The typed openapi-fetch client underneath, for calls the facade does not wrap.
   *
   * @example
   * ```ts
   * const { response } = await vault.raw.GET("/healthz");
   * ```
   */
  readonly raw: VaultRawClient;
}

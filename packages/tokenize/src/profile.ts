import {
  type CallOptions,
  isVaultError,
  type Mode,
  type Profile,
  type VaultClient,
  type WindowOptions,
} from "@sessionvault/client";

/**
 * What {@link tokenizeProfile} does when a profile's login, email, phone or custom id is taken.
 *
 * @example
 * ```ts
 * const policy: ProfileConflict = "reuse"; // sign-in: the same person signing in again
 * ```
 */
export type ProfileConflict = "error" | "reuse" | "update";

/**
 * Options of {@link tokenizeProfile}.
 *
 * @example
 * ```ts
 * const options: TokenizeProfileOptions = { onConflict: "update", slidingtime: "90d" };
 * ```
 */
export interface TokenizeProfileOptions extends WindowOptions, CallOptions {
  /**
   * When a user with one of the profile's identities exists: `"error"` (default) throws
   * the vault's `VaultConflictError`; `"reuse"` returns the existing token unchanged;
   * `"update"` merges the profile into the stored one (fields it leaves out are kept) and returns the existing token.
   */
  onConflict?: ProfileConflict;
}

/**
 * The client calls {@link tokenizeProfile} needs; a `VaultClient` has them.
 *
 * @example
 * ```ts
 * const writer: ProfileWriter = createVaultClient({ baseUrl: "http://127.0.0.1:4700", token: "DEMO" });
 * ```
 */
export type ProfileWriter = Pick<VaultClient, "createUser" | "getUser" | "updateUser">;

// Identity fields in the order a conflicting user is looked up by.
const IDENTITY_FIELDS = ["login", "email", "phone", "custom"] as const;

/**
 * Stores a user profile (PII) encrypted in the vault (`UserCreate`) and returns the
 * token that stands in for it. Keep the token in the session, never the profile.
 *
 * @example
 * ```ts
 * import { createVaultClient } from "@sessionvault/client";
 * import { tokenizeProfile } from "@sessionvault/tokenize";
 *
 * const vault = createVaultClient({ baseUrl: "http://127.0.0.1:4700", token: "DEMO" });
 * const usertoken = await tokenizeProfile(vault, { email: "ada@example.com", name: "Ada" }, { onConflict: "reuse" });
 * // store { usertoken } in the session
 * ```
 */
export async function tokenizeProfile(
  client: ProfileWriter,
  profile: Profile,
  options: TokenizeProfileOptions = {},
): Promise<string> {
  const { onConflict = "error", ...rest } = options;
  try {
    const { token } = await client.createUser(profile, rest);
    return token;
  } catch (error) {
    if (onConflict === "error" || !isVaultError(error) || error.status !== 409) throw error;
    const existing = await findExisting(client, profile, rest);
    // The conflicting user vanished between the two calls: the original error still stands.
    if (existing === null) throw error;
    if (onConflict === "update") await client.updateUser("token", existing, profile, callOptions(rest));
    return existing;
  }
}

async function findExisting(client: ProfileWriter, profile: Profile, options: CallOptions): Promise<string | null> {
  for (const field of IDENTITY_FIELDS) {
    const identity = profile[field];
    if (typeof identity !== "string" || identity === "") continue;
    const user = await client.getUser(field, identity, callOptions(options));
    if (user !== null) return user.token;
  }
  return null;
}

function callOptions(options: CallOptions): CallOptions {
  const picked: CallOptions = {};
  if (options.signal !== undefined) picked.signal = options.signal;
  if (options.requestMetadata !== undefined) picked.requestMetadata = options.requestMetadata;
  return picked;
}

/**
 * Reads back the profile behind a user token (`UserGet` by token). Returns `null` when
 * the user is gone (erased, or expired by its time window).
 *
 * @example
 * ```ts
 * import { createVaultClient } from "@sessionvault/client";
 * import { resolveProfile } from "@sessionvault/tokenize";
 *
 * const vault = createVaultClient({ baseUrl: "http://127.0.0.1:4700", token: "DEMO" });
 * const profile = await resolveProfile<{ email: string; name: string }>(vault, session.usertoken);
 * if (profile) console.log(`Hello ${profile.name}`);
 * ```
 */
export async function resolveProfile<P extends Profile = Profile>(
  client: Pick<VaultClient, "getUser">,
  token: string,
  options?: CallOptions,
): Promise<P | null> {
  const user = await client.getUser("token", token, options);
  return user === null ? null : (user.profile as P);
}

/**
 * Which user {@link forgetUser} erases: any of the user's identities.
 *
 * @example
 * ```ts
 * const byEmail: UserRef = { mode: "email", identity: "ada@example.com" };
 * const byToken: UserRef = { mode: "token", identity: session.usertoken };
 * ```
 */
export interface UserRef {
  mode: Mode;
  identity: string;
}

/**
 * Options of {@link forgetUser}.
 *
 * @example
 * ```ts
 * const options: ForgetUserOptions = { tokens: [cardToken.tokenuuid] };
 * ```
 */
export interface ForgetUserOptions extends CallOptions {
  /** Single-value tokens (from `tokenize`) that belong to this user and go with them. */
  tokens?: string[];
}

/**
 * What {@link forgetUser} erased.
 *
 * @example
 * ```ts
 * const result: ForgetUserResult = { sessionsRevoked: 2, profileDeleted: true, tokensDeleted: 0 };
 * ```
 */
export interface ForgetUserResult {
  /** Sessions linked to the user that were deleted. */
  sessionsRevoked: number;
  /** False when there was no such user (already erased): erasure is idempotent. */
  profileDeleted: boolean;
  /** Tokens from `options.tokens` that existed and were deleted. */
  tokensDeleted: number;
}

/**
 * The erasure path ("right to be forgotten"): deletes every session of the user
 * (`SessionRevokeUser`), then their profile (`UserDelete`), then any single-value tokens
 * you name. Sessions go first because once the profile is gone its identities no longer
 * resolve to the user. Safe to call again: an already-erased user yields zeros.
 *
 * Stop new sign-ins for the user before calling it, or a session created in between
 * outlives the profile (it then holds a token that resolves to nothing).
 *
 * @example
 * ```ts
 * import { createVaultClient } from "@sessionvault/client";
 * import { forgetUser } from "@sessionvault/tokenize";
 *
 * const vault = createVaultClient({ baseUrl: "http://127.0.0.1:4700", token: "DEMO" });
 * const { sessionsRevoked } = await forgetUser(vault, { mode: "email", identity: "ada@example.com" });
 * ```
 */
export async function forgetUser(
  client: Pick<VaultClient, "revokeUserSessions" | "deleteUser" | "deleteToken">,
  user: UserRef,
  options: ForgetUserOptions = {},
): Promise<ForgetUserResult> {
  const { tokens = [], ...call } = options;
  const sessionsRevoked = await ignoreNotFound(client.revokeUserSessions(user.mode, user.identity, call), {
    deleted: 0,
  });
  const profileDeleted = await ignoreNotFound(
    client.deleteUser(user.mode, user.identity, call).then(() => true),
    false,
  );
  let tokensDeleted = 0;
  for (const token of tokens) {
    if (
      await ignoreNotFound(
        client.deleteToken(token, call).then(() => true),
        false,
      )
    )
      tokensDeleted++;
  }
  return { sessionsRevoked: sessionsRevoked.deleted, profileDeleted, tokensDeleted };
}

async function ignoreNotFound<T>(call: Promise<T>, fallback: T): Promise<T> {
  try {
    return await call;
  } catch (error) {
    if (isVaultError(error) && error.status === 404) return fallback;
    throw error;
  }
}

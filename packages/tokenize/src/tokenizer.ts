import type { CallOptions, CreatedToken, Profile, TokenType, VaultClient } from "@sessionvault/client";
import {
  type ForgetUserOptions,
  type ForgetUserResult,
  forgetUser,
  resolveProfile,
  type TokenizeProfileOptions,
  tokenizeProfile,
  type UserRef,
} from "./profile.js";
import { detokenize, type TokenizeOptions, tokenize } from "./values.js";

/**
 * The helpers of this package bound to one vault client.
 *
 * @example
 * ```ts
 * const tokens: Tokenizer = createTokenizer(vault);
 * const usertoken = await tokens.tokenizeProfile({ email: "ada@example.com" });
 * ```
 */
export interface Tokenizer {
  /** See {@link tokenizeProfile}. */
  tokenizeProfile(profile: Profile, options?: TokenizeProfileOptions): Promise<string>;
  /** See {@link resolveProfile}. */
  resolveProfile<P extends Profile = Profile>(token: string, options?: CallOptions): Promise<P | null>;
  /** See {@link forgetUser}. */
  forgetUser(user: UserRef, options?: ForgetUserOptions): Promise<ForgetUserResult>;
  /** See {@link tokenize}. */
  tokenize(value: string, type: TokenType, options?: TokenizeOptions): Promise<CreatedToken>;
  /** See {@link detokenize}. */
  detokenize(token: string, options?: CallOptions): Promise<string | null>;
}

/**
 * Binds the profile and value helpers to one client, for apps that pass a single object
 * around (a request context, a DI container).
 *
 * @example
 * ```ts
 * import { createVaultClient } from "@sessionvault/client";
 * import { createTokenizer } from "@sessionvault/tokenize";
 *
 * const tokens = createTokenizer(createVaultClient({ baseUrl: "http://127.0.0.1:4700", token: "DEMO" }));
 * const usertoken = await tokens.tokenizeProfile({ email: "ada@example.com" }, { onConflict: "reuse" });
 * const profile = await tokens.resolveProfile(usertoken);
 * ```
 */
export function createTokenizer(client: VaultClient): Tokenizer {
  return {
    tokenizeProfile: (profile, options) => tokenizeProfile(client, profile, options),
    resolveProfile: (token, options) => resolveProfile(client, token, options),
    forgetUser: (user, options) => forgetUser(client, user, options),
    tokenize: (value, type, options) => tokenize(client, value, type, options),
    detokenize: (token, options) => detokenize(client, token, options),
  };
}

import type { CallOptions, CreatedToken, TokenType, VaultClient, WindowOptions } from "@sessionvault/client";

/**
 * Options of {@link tokenize}.
 *
 * @example
 * ```ts
 * const options: TokenizeOptions = { unique: true, finaltime: "365d" };
 * ```
 */
export interface TokenizeOptions extends WindowOptions, CallOptions {
  /** Return the existing token when this exact value was tokenized before (and retry safely). */
  unique?: boolean;
  /**
   * Also accept the returned `tokenbase` in {@link detokenize} (and `TokenDelete`). Off by
   * default: a base is guessable (a 12-digit card's has about 23 random bits), so anyone
   * holding the vault's access token could enumerate bases and read the values behind
   * them. Without it, a base finds nothing, exactly like an unknown token.
   */
  baselookup?: boolean;
}

/**
 * Replaces one sensitive value with a token (`TokenCreate`). `tokenuuid` is the handle to
 * keep; `tokenbase` is a format-preserving stand-in where the type allows: for
 * `"creditcard"` a Luhn-valid number of the same length that keeps the last four digits,
 * safe to show in a UI or pass to code that validates card formats; for other types the
 * same shape (separators and digit/letter classes only, no character of the value), or 22
 * random base64url characters when the shape would carry fewer than 64 random bits. The
 * base is a lookup key only with `baselookup: true`.
 *
 * @example
 * ```ts
 * import { createVaultClient } from "@sessionvault/client";
 * import { tokenize } from "@sessionvault/tokenize";
 *
 * const vault = createVaultClient({ baseUrl: "http://127.0.0.1:4700", token: "DEMO" });
 * const { tokenuuid, tokenbase } = await tokenize(vault, "4242424242424242", "creditcard");
 * // tokenbase: 16 digits, Luhn-valid, ends in 4242
 * ```
 */
export async function tokenize(
  client: Pick<VaultClient, "createToken">,
  value: string,
  type: TokenType,
  options?: TokenizeOptions,
): Promise<CreatedToken> {
  return client.createToken(type, value, options);
}

/**
 * Reads the value behind a token (`TokenGet`), by its `tokenuuid`, or its `tokenbase` when
 * it was created with `baselookup: true`. Returns `null` when the token does not exist or
 * has expired, and for the base of a token created without `baselookup`.
 *
 * @example
 * ```ts
 * import { createVaultClient } from "@sessionvault/client";
 * import { detokenize } from "@sessionvault/tokenize";
 *
 * const vault = createVaultClient({ baseUrl: "http://127.0.0.1:4700", token: "DEMO" });
 * const card = await detokenize(vault, tokenuuid); // "4242424242424242" or null
 * ```
 */
export async function detokenize(
  client: Pick<VaultClient, "getToken">,
  token: string,
  options?: CallOptions,
): Promise<string | null> {
  const found = await client.getToken(token, options);
  return found === null ? null : found.record;
}

// The contract's SessionUuid: 8 to 256 printable ASCII characters.
const SESSION_ID = /^[\x21-\x7E]{8,256}$/;

/**
 * A session id from the CSPRNG: 256 bits, base64url (43 characters).
 *
 * @example
 * ```ts
 * app.use(session({ store, genid: generateSessionId }));
 * ```
 */
export function generateSessionId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/**
 * Whether `value` can be a session id at all; anything else is a miss, never a vault call.
 *
 * @example
 * ```ts
 * if (!isSessionId(cookieValue)) return null;
 * ```
 */
export function isSessionId(value: unknown): value is string {
  return typeof value === "string" && SESSION_ID.test(value);
}

// 24 random bytes = 192 bits, above the 128-bit floor, and 32 base64url characters.
const ID_BYTES = 24;
const ID_PATTERN = /^[A-Za-z0-9_-]{32}$/;

/** A fresh session id from the platform CSPRNG (Web Crypto; works on Node and the edge runtime). */
export function newSessionId(): string {
  const bytes = new Uint8Array(ID_BYTES);
  globalThis.crypto.getRandomValues(bytes);
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** Ids we never issued are not worth a vault round trip. */
export function isWellFormedSessionId(value: string | undefined): value is string {
  return value !== undefined && ID_PATTERN.test(value);
}

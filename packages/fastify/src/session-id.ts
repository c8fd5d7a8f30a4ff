import { randomBytes } from "node:crypto";

// The contract's SessionUuid: 8 to 256 printable ASCII characters.
const SESSION_ID = /^[\x21-\x7E]{8,256}$/;

/**
 * A session id from the CSPRNG: 256 bits, base64url (43 characters), for @fastify/session's
 * `idGenerator` (its own default carries 192 bits, which is also fine).
 *
 * @example
 * ```ts
 * await app.register(fastifySession, { store, secret, idGenerator: generateSessionId });
 * ```
 */
export function generateSessionId(): string {
  return randomBytes(32).toString("base64url");
}

/** Whether `value` can be a session id at all; anything else is a miss, never a vault call. */
export function isSessionId(value: unknown): value is string {
  return typeof value === "string" && SESSION_ID.test(value);
}

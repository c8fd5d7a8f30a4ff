/**
 * Machine-readable codes carried by every {@link SessionError}.
 *
 * @example
 * ```ts
 * if (isSessionError(error) && error.code === SessionErrorCode.SESSION_GONE) redirect("/signin");
 * ```
 */
export const SessionErrorCode = {
  /** A write (`save`, `update`, `destroy`, `regenerate`) ran where Next.js forbids setting cookies. */
  READ_ONLY: "READ_ONLY",
  /** The session was deleted or expired in the vault between reading and writing it. */
  SESSION_GONE: "SESSION_GONE",
  /** `update` was called on a request that has no session. */
  NO_SESSION: "NO_SESSION",
  /** `createSessionVault` / `createSessionMiddleware` received unusable options. */
  INVALID_OPTIONS: "INVALID_OPTIONS",
  /** Session data that is not a plain JSON object. */
  INVALID_DATA: "INVALID_DATA",
} as const;

/**
 * One of the {@link SessionErrorCode} values.
 *
 * @example
 * ```ts
 * const code: SessionErrorCode = "READ_ONLY";
 * ```
 */
export type SessionErrorCode = (typeof SessionErrorCode)[keyof typeof SessionErrorCode];

const brand = Symbol.for("@sessionvault/next.SessionError");

/**
 * Thrown by `@sessionvault/next` for misuse and for sessions that vanished mid-request.
 * Vault failures (timeouts, 5xx, bad token) are not wrapped: they surface as the
 * client's `VaultError` so the request fails instead of silently signing the user out.
 * Messages never contain session ids, tokens or session data.
 *
 * @example
 * ```ts
 * try {
 *   await session.save({ visits: 1 });
 * } catch (error) {
 *   if (isSessionError(error) && error.code === "SESSION_GONE") redirect("/signin");
 *   throw error;
 * }
 * ```
 */
export class SessionError extends Error {
  override readonly name = "SessionError";
  readonly code: SessionErrorCode;

  constructor(code: SessionErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    Object.defineProperty(this, brand, { value: true });
  }

  /** A log-safe plain object. */
  toJSON(): { name: string; code: SessionErrorCode; message: string } {
    return { name: this.name, code: this.code, message: this.message };
  }
}

/**
 * True for any {@link SessionError}, even one thrown by a second copy of this package.
 *
 * @example
 * ```ts
 * if (isSessionError(error) && error.code === "READ_ONLY") console.error(error.message);
 * ```
 */
export function isSessionError(value: unknown): value is SessionError {
  return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[brand] === true;
}

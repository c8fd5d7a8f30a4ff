import { isVaultError, type VaultError } from "@sessionvault/client";
import { isPIIError, type PIIError } from "@sessionvault/tokenize/detect";

/**
 * What went wrong with a session call, for an app to switch on:
 *
 * - `vault_refused`: the vault refused the call (wrong token, oversized session, a rate
 *   limit): a fault of the server's configuration, never of the visitor. Status 500.
 * - `vault_unavailable`: the vault could not be reached, timed out or failed (5xx).
 *   Status 503: the request fails, the visitor is never silently signed out.
 * - `pii_refused`: strict mode refused to write recognisable personal data; `paths` names
 *   where (never the value). Status 500: the app, not the visitor, has to change.
 * - `invalid_session_id`: a save was asked for an id that cannot be a session id.
 * - `session_gone`: the session was destroyed, revoked or expired while the request held
 *   it, so a write found nothing to change (it stays gone). Status 401: sign in again.
 * - `no_session`: a change was asked of a request that has no session. Status 401.
 * - `read_only`: a write where the framework cannot set the cookie (a Next.js Server
 *   Component renders after the headers left). Status 500: the app has to move the write.
 *
 * @example
 * ```ts
 * if (isSessionError(err) && err.code === SessionErrorCode.PIIRefused) return res.status(422).end();
 * ```
 */
export const SessionErrorCode = {
  VaultRefused: "vault_refused",
  VaultUnavailable: "vault_unavailable",
  PIIRefused: "pii_refused",
  InvalidSessionId: "invalid_session_id",
  SessionGone: "session_gone",
  NoSession: "no_session",
  ReadOnly: "read_only",
} as const;

/**
 * One of the {@link SessionErrorCode} values.
 *
 * @example
 * ```ts
 * const code: SessionErrorCode = "pii_refused";
 * ```
 */
export type SessionErrorCode = (typeof SessionErrorCode)[keyof typeof SessionErrorCode];

const STATUS: Record<SessionErrorCode, number> = {
  vault_refused: 500,
  vault_unavailable: 503,
  pii_refused: 500,
  invalid_session_id: 500,
  session_gone: 401,
  no_session: 401,
  read_only: 500,
};

// Symbol.for: the same brand in every installed copy of this package.
const BRAND = Symbol.for("@sessionvault/session.SessionError");

/**
 * The one error class of the session engine and every adapter built on it. `code` says
 * what happened ({@link SessionErrorCode}); `status`/`statusCode` are what the framework's
 * error handler answers; `expose` is false, so frameworks keep the message out of the
 * response. The message names the operation and status only, never ids, data or PII.
 *
 * @example
 * ```ts
 * app.use((err, req, res, next) => {
 *   if (isSessionError(err, "vault_unavailable")) return res.status(503).send("try again");
 *   next(err);
 * });
 * ```
 */
export class SessionError extends Error {
  override name = "SessionError";
  /** What happened. */
  readonly code: SessionErrorCode;
  /** HTTP status for the framework's error handler. */
  readonly status: number;
  /** The same, under the name some frameworks read first. */
  readonly statusCode: number;
  /** Frameworks keep the message out of the response. */
  readonly expose = false;
  /** Where strict mode found personal data (`pii_refused` only), e.g. `["user.email"]`. */
  readonly paths: readonly string[];
  /** The vault's error (`vault_*`) or the detector's `PIIError` (`pii_refused`). */
  declare readonly cause: VaultError | PIIError | undefined;

  constructor(code: SessionErrorCode, message: string, options: { cause?: unknown; paths?: readonly string[] } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = STATUS[code];
    this.statusCode = this.status;
    this.paths = options.paths ?? [];
    Object.defineProperty(this, BRAND, { value: true });
  }

  /** Logs the error without the cause's internals: code, status, message, paths. */
  toJSON(): { name: string; code: SessionErrorCode; status: number; message: string; paths: readonly string[] } {
    return { name: this.name, code: this.code, status: this.status, message: this.message, paths: this.paths };
  }
}

/**
 * Whether `error` is a {@link SessionError} (optionally with the given `code`), also when
 * it comes from another installed copy of this package.
 *
 * @example
 * ```ts
 * if (isSessionError(err, SessionErrorCode.PIIRefused)) console.warn(err.paths);
 * ```
 */
export function isSessionError(error: unknown, code?: SessionErrorCode): error is SessionError {
  if (typeof error !== "object" || error === null || !(BRAND in error)) return false;
  return code === undefined || (error as { code?: unknown }).code === code;
}

/**
 * What the framework sees for a failed session call: a vault refusal (4xx) is a
 * `vault_refused` {@link SessionError}, a network failure, timeout or vault 5xx is
 * `vault_unavailable`, a strict-mode refusal is `pii_refused`; a `SessionError` stays as
 * it is, anything else is wrapped in an `Error`.
 *
 * @example
 * ```ts
 * try { await client.getSession(id); } catch (error) { throw toSessionError(error); }
 * ```
 */
export function toSessionError(reason: unknown): Error {
  if (isSessionError(reason)) return reason;
  if (isVaultError(reason)) {
    const refused = reason.status >= 400 && reason.status < 500;
    return new SessionError(
      refused ? SessionErrorCode.VaultRefused : SessionErrorCode.VaultUnavailable,
      `session: the vault ${refused ? "refused" : "failed"} ${reason.operation} (${reason.status})`,
      { cause: reason },
    );
  }
  if (isPIIError(reason)) {
    return new SessionError(SessionErrorCode.PIIRefused, reason.message, {
      cause: reason,
      paths: reason.findings.map((finding) => finding.path),
    });
  }
  if (reason instanceof Error) return reason;
  return new Error("session operation failed", { cause: reason });
}

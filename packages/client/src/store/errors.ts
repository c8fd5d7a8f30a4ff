import { isVaultError, type VaultError } from "../errors.js";

/**
 * A session store call the vault refused (wrong token, oversized session, a rate limit):
 * a fault of the server's configuration, never of the visitor, so it carries HTTP status
 * 500 for the framework's error handler whatever the vault answered. The vault's own error
 * is the `cause`; the message names the operation and status only, never ids or data. An
 * unreachable or failing vault is passed on as the client's `VaultError` unchanged
 * (status 0 or 5xx), which every framework answers with a 5xx too.
 *
 * @example
 * ```ts
 * app.use((err, req, res, next) => {
 *   if (err instanceof SessionStoreError) logger.error({ vault: err.cause.toJSON() }, "vault refused a session call");
 *   next(err);
 * });
 * ```
 */
export class SessionStoreError extends Error {
  override name = "SessionStoreError";
  /** HTTP status for the framework's error handler. */
  readonly status = 500;
  /** The same, under the name some frameworks read first. */
  readonly statusCode = 500;
  /** Frameworks keep the message out of the response. */
  readonly expose = false;
  /** The vault's refusal. */
  declare readonly cause: VaultError;

  constructor(cause: VaultError) {
    super(`session store: the vault refused ${cause.operation} (${cause.status})`, { cause });
  }
}

/**
 * What the framework sees for a failed store call: a vault refusal (4xx) becomes a
 * {@link SessionStoreError}, other `Error`s stay as they are, anything else is wrapped.
 *
 * @example
 * ```ts
 * try { await client.getSession(id); } catch (error) { throw toStoreError(error); }
 * ```
 */
export function toStoreError(reason: unknown): Error {
  if (isVaultError(reason) && reason.status >= 400 && reason.status < 500) return new SessionStoreError(reason);
  if (reason instanceof Error) return reason;
  return new Error("session store operation failed", { cause: reason });
}

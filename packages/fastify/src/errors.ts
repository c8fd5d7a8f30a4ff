import { isVaultError, type VaultError } from "@sessionvault/client";

/**
 * A session store call the vault refused (wrong token, oversized session, a rate limit):
 * a fault of the server's configuration, never of the visitor, so it carries HTTP status
 * 500 for the framework's error handler. The vault's own error is the `cause`. An
 * unreachable or failing vault is passed on as the client's `VaultError` unchanged
 * (status 0 or 5xx, which frameworks answer with a 5xx too).
 *
 * @example
 * ```ts
 * app.setErrorHandler((err, request, reply) => {
 *   if (err instanceof SessionStoreError) request.log.error({ vault: err.cause }, "vault refused a session call");
 *   reply.send(err);
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
    super(`session store: the vault refused ${cause.operation} (${cause.status}): ${cause.message}`, { cause });
  }
}

/** What the framework sees for a failed vault call; see {@link SessionStoreError}. */
export function toStoreError(reason: unknown): Error {
  if (isVaultError(reason) && reason.status >= 400 && reason.status < 500) return new SessionStoreError(reason);
  if (reason instanceof Error) return reason;
  return new Error("session store operation failed", { cause: reason });
}

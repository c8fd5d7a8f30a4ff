/**
 * What went wrong in a vault operation, in the domain's terms. `http/` maps each class to
 * a status; the message is safe to show: it never carries tokens, session ids, session
 * data or PII.
 */
export abstract class VaultError extends Error {
  /** Short class for the audit log and the status mapping. */
  abstract readonly code: "not_found" | "conflict" | "invalid" | "busy";
}

/** The record (session, user, token) does not exist or has expired. */
export class NotFoundError extends VaultError {
  override readonly name = "NotFoundError";
  readonly code = "not_found";
  constructor(message = "not found") {
    super(message);
  }
}

/** The write conflicts with stored state: a version mismatch or a taken identity. */
export class ConflictError extends VaultError {
  override readonly name = "ConflictError";
  readonly code = "conflict";
}

/** The input is well-formed JSON but not acceptable; the message names the field. */
export class InvalidInputError extends VaultError {
  override readonly name = "InvalidInputError";
  readonly code = "invalid";
}

/** Contention the vault could not resolve in time: safe to retry after `retryAfterSeconds`. */
export class BusyError extends VaultError {
  override readonly name = "BusyError";
  readonly code = "busy";
  constructor(
    message: string,
    readonly retryAfterSeconds = 1,
  ) {
    super(message);
  }
}

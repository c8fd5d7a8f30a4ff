import type { Logger } from "pino";
import { BusyError, VaultError } from "../core/errors.js";
import { IntegrityError } from "../crypto/keyring.js";
import { HttpError } from "./http-error.js";

const STATUS: Record<VaultError["code"], number> = { invalid: 400, not_found: 404, conflict: 409, busy: 503 };

/**
 * The reply for an error: domain errors and the HTTP layer's own map to their status and
 * safe message; anything else is a 500 that says nothing about its cause.
 */
export function replyFor(
  error: unknown,
  operation: string,
  logger: Logger,
): { status: number; message: string; headers: Readonly<Record<string, string>> } {
  if (error instanceof HttpError) return { status: error.status, message: error.message, headers: error.headers };
  if (error instanceof VaultError) {
    const headers: Record<string, string> =
      error instanceof BusyError ? { "retry-after": String(error.retryAfterSeconds) } : {};
    // The v1 store treats exactly this message as "no such session".
    const message = error.code === "not_found" && operation === "V1SessionGet" ? "not found" : error.message;
    return { status: STATUS[error.code], message, headers };
  }
  if (error instanceof IntegrityError) {
    logger.error({ op: operation }, "record integrity check failed");
    return { status: 500, message: "record integrity check failed", headers: {} };
  }
  const err = error instanceof Error ? error : new Error("non-error thrown");
  logger.error({ op: operation, err: { type: err.name, code: (err as { code?: unknown }).code } }, "request failed");
  return { status: 500, message: "internal error", headers: {} };
}

/** The audit log's outcome class for a failed operation. */
export function outcomeOf(error: unknown): string {
  if (error instanceof HttpError) return error.outcome;
  if (error instanceof VaultError) return error.code;
  if (error instanceof IntegrityError) return "integrity";
  return "error";
}

/**
 * Every error code a {@link VaultError} can carry, one per subclass.
 *
 * @example
 * ```ts
 * import { VaultErrorCode, isVaultError } from "@sessionvault/client";
 *
 * try {
 *   await vault.createUser({ email: "ada@example.com" });
 * } catch (error) {
 *   if (isVaultError(error) && error.code === VaultErrorCode.conflict) {
 *     // the email is already taken
 *   }
 * }
 * ```
 */
export const VaultErrorCode = {
  auth: "auth",
  validation: "validation",
  notFound: "not_found",
  conflict: "conflict",
  payloadTooLarge: "payload_too_large",
  unavailable: "unavailable",
  timeout: "timeout",
  network: "network",
  badResponse: "bad_response",
} as const;

/**
 * The string union of {@link VaultErrorCode} values.
 *
 * @example
 * ```ts
 * const code: VaultErrorCode = "timeout";
 * ```
 */
export type VaultErrorCode = (typeof VaultErrorCode)[keyof typeof VaultErrorCode];

/**
 * The plain-object form of a {@link VaultError}, as returned by `toJSON()`; safe to log.
 *
 * @example
 * ```ts
 * const json: VaultErrorJSON = error.toJSON();
 * logger.warn({ err: json }, "vault call failed");
 * ```
 */
export interface VaultErrorJSON {
  name: string;
  message: string;
  operation: string;
  status: number;
  code: VaultErrorCode;
  retryable: boolean;
}

// A registry-wide symbol, so two copies of this package (a duplicated dependency)
// still recognise each other's errors.
const BRAND = Symbol.for("@sessionvault/client.VaultError");

/**
 * The base class of every error the client throws for a failed vault call.
 *
 * `message` is the vault's own message (or the client's description of a transport
 * failure); it never contains the access token, a session id, an identity or session
 * data. `status` is the HTTP status, or `0` when no HTTP response was received.
 *
 * @example
 * ```ts
 * try {
 *   await vault.upsertSession(id, data);
 * } catch (error) {
 *   if (error instanceof VaultError && error.retryable) {
 *     // safe to try again later
 *   }
 *   throw error;
 * }
 * ```
 */
export class VaultError extends Error {
  override name = "VaultError";
  /** The contract's operation id, e.g. `"SessionGet"`. */
  readonly operation: string;
  /** HTTP status of the vault's reply; `0` when there was none (network failure, timeout). */
  readonly status: number;
  /** Machine-readable cause, one of {@link VaultErrorCode}. */
  readonly code: VaultErrorCode;
  /** Whether the same request may succeed when sent again later. */
  readonly retryable: boolean;

  constructor(
    operation: string,
    status: number,
    code: VaultErrorCode,
    message: string,
    retryable = false,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.operation = operation;
    this.status = status;
    this.code = code;
    this.retryable = retryable;
    Object.defineProperty(this, BRAND, { value: true });
  }

  /**
   * A plain object with the error's public fields (never the `cause`), for logs.
   *
   * @example
   * ```ts
   * JSON.stringify(error); // {"name":"VaultNotFoundError","operation":"UserGet",...}
   * ```
   */
  toJSON(): VaultErrorJSON {
    return {
      name: this.name,
      message: this.message,
      operation: this.operation,
      status: this.status,
      code: this.code,
      retryable: this.retryable,
    };
  }
}

/**
 * The vault refused the access token (HTTP 401 or 403).
 *
 * @example
 * ```ts
 * if (error instanceof VaultAuthError) alert("check SESSIONVAULT_TOKEN");
 * ```
 */
export class VaultAuthError extends VaultError {
  override name = "VaultAuthError";
  constructor(operation: string, status: number, message: string) {
    super(operation, status, VaultErrorCode.auth, message);
  }
}

/**
 * The vault rejected the request body (HTTP 400); the message names the field.
 * Also thrown by {@link createVaultClient} for invalid options, with status `0`.
 *
 * @example
 * ```ts
 * if (error instanceof VaultValidationError) console.warn(error.message);
 * ```
 */
export class VaultValidationError extends VaultError {
  override name = "VaultValidationError";
  constructor(operation: string, status: number, message: string) {
    super(operation, status, VaultErrorCode.validation, message);
  }
}

/**
 * The record does not exist (HTTP 404) where that is an error, e.g. `updateUser`.
 * Reads such as `getSession` return `null` instead.
 *
 * @example
 * ```ts
 * if (error instanceof VaultNotFoundError) return res.status(404).end();
 * ```
 */
export class VaultNotFoundError extends VaultError {
  override name = "VaultNotFoundError";
  constructor(operation: string, status: number, message: string) {
    super(operation, status, VaultErrorCode.notFound, message);
  }
}

/**
 * A uniqueness or `expectversion` check failed (HTTP 409).
 *
 * @example
 * ```ts
 * if (error instanceof VaultConflictError) {
 *   // someone else wrote the session first: read it again and retry the change
 * }
 * ```
 */
export class VaultConflictError extends VaultError {
  override name = "VaultConflictError";
  constructor(operation: string, status: number, message: string) {
    super(operation, status, VaultErrorCode.conflict, message);
  }
}

/**
 * The request body exceeds the vault's limit (HTTP 413).
 *
 * @example
 * ```ts
 * if (error instanceof VaultPayloadTooLargeError) {
 *   // keep large values out of the session
 * }
 * ```
 */
export class VaultPayloadTooLargeError extends VaultError {
  override name = "VaultPayloadTooLargeError";
  constructor(operation: string, status: number, message: string) {
    super(operation, status, VaultErrorCode.payloadTooLarge, message);
  }
}

/**
 * The vault or a proxy in front of it failed or is overloaded (HTTP 5xx or 429).
 * Retryable.
 *
 * @example
 * ```ts
 * if (error instanceof VaultUnavailableError) res.status(503).end();
 * ```
 */
export class VaultUnavailableError extends VaultError {
  override name = "VaultUnavailableError";
  constructor(operation: string, status: number, message: string) {
    super(operation, status, VaultErrorCode.unavailable, message, true);
  }
}

/**
 * An attempt took longer than `timeoutMs`. Retryable; `status` is `0`.
 *
 * @example
 * ```ts
 * if (error instanceof VaultTimeoutError) metrics.increment("vault.timeout");
 * ```
 */
export class VaultTimeoutError extends VaultError {
  override name = "VaultTimeoutError";
  constructor(operation: string, timeoutMs: number) {
    super(operation, 0, VaultErrorCode.timeout, `${operation} timed out after ${timeoutMs} ms`, true);
  }
}

/**
 * No HTTP response was received (connection refused or reset, DNS failure, TLS
 * failure). Retryable; `status` is `0`; the transport's error is the `cause`.
 *
 * @example
 * ```ts
 * if (error instanceof VaultNetworkError) console.error(error.cause);
 * ```
 */
export class VaultNetworkError extends VaultError {
  override name = "VaultNetworkError";
  constructor(operation: string, cause: unknown) {
    super(operation, 0, VaultErrorCode.network, `${operation} failed: the vault could not be reached`, true, {
      cause,
    });
  }
}

/**
 * The reply does not follow the contract: not JSON, the wrong content type, an empty
 * body, a missing field, an HTTP status the contract does not name, or a redirect
 * (never followed).
 *
 * @example
 * ```ts
 * if (error instanceof VaultResponseError) {
 *   // is baseUrl pointing at the vault, or at something else?
 * }
 * ```
 */
export class VaultResponseError extends VaultError {
  override name = "VaultResponseError";
  constructor(operation: string, status: number, message: string, options?: { cause?: unknown }) {
    super(operation, status, VaultErrorCode.badResponse, message, false, options);
  }
}

/**
 * True for any {@link VaultError}, including one thrown by a second copy of this
 * package (where `instanceof` would fail).
 *
 * @example
 * ```ts
 * try {
 *   await vault.getSession(id);
 * } catch (error) {
 *   if (isVaultError(error) && error.retryable) return retryLater();
 *   throw error;
 * }
 * ```
 */
export function isVaultError(error: unknown): error is VaultError {
  return typeof error === "object" && error !== null && (error as { [BRAND]?: unknown })[BRAND] === true;
}

/** Maps a non-2xx HTTP status to its error class. Internal. */
export function errorForStatus(operation: string, status: number, message: string): VaultError {
  switch (status) {
    case 400:
      return new VaultValidationError(operation, status, message);
    case 401:
    case 403:
      return new VaultAuthError(operation, status, message);
    case 404:
      return new VaultNotFoundError(operation, status, message);
    case 409:
      return new VaultConflictError(operation, status, message);
    case 413:
      return new VaultPayloadTooLargeError(operation, status, message);
    case 429:
      return new VaultUnavailableError(operation, status, message);
    default:
      return status >= 500 && status <= 599
        ? new VaultUnavailableError(operation, status, message)
        : new VaultResponseError(operation, status, message);
  }
}

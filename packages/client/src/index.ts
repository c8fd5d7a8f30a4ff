export { createVaultClient } from "./client.js";
export {
  isVaultError,
  VaultAuthError,
  VaultConflictError,
  VaultError,
  VaultErrorCode,
  type VaultErrorJSON,
  VaultNetworkError,
  VaultNotFoundError,
  VaultPayloadTooLargeError,
  VaultResponseError,
  VaultTimeoutError,
  VaultUnavailableError,
  VaultValidationError,
} from "./errors.js";
export type { components, operations, paths } from "./generated/schema.js";
export type { RetryOptions } from "./retry.js";
export type {
  CallOptions,
  CreatedToken,
  CreateTokenOptions,
  Mode,
  PatchSessionOptions,
  Profile,
  SessionPatch,
  TokenType,
  UpsertSessionOptions,
  VaultClient,
  VaultClientOptions,
  VaultRawClient,
  VaultSession,
  VaultSessionRow,
  WindowOptions,
} from "./types.js";

export { createSessionVault, type SessionVault, type SessionVaultOptions } from "./create-session-vault.js";
export { isSessionError, SessionError, SessionErrorCode } from "./errors.js";
export type { CookieAttributes, SessionOptions, VaultConnection } from "./options.js";
export type {
  MutableSession,
  ReadonlySession,
  RegenerateOptions,
  SaveOptions,
  SessionSnapshot,
  UserRef,
  UserSessionRow,
} from "./types.js";

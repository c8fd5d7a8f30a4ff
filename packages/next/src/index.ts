export { generateSessionId, isSessionError, SessionError, SessionErrorCode } from "@sessionvault/session";
export { createSessionVault, type SessionVaultOptions } from "./create-session-vault.js";
export type { CookieAttributes, SessionOptions, VaultConnection } from "./options.js";
export type {
  MutableSession,
  ReadonlySession,
  RegenerateOptions,
  SaveOptions,
  SessionSnapshot,
  SessionVault,
  UserRef,
  UserSessionRow,
} from "./types.js";

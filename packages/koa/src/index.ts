export { generateSessionId, isSessionError, SessionError, SessionErrorCode } from "@sessionvault/session";
export { vaultSessionOptions } from "./session-options.js";
export {
  type KoaSessionData,
  type KoaSessionLike,
  type SessionContext,
  type StoreDestroyOptions,
  type StoreGetOptions,
  type StoreSetOptions,
  type UserSessionRow,
  type VaultConnectionOptions,
  VaultStore,
  type VaultStoreBehaviour,
  type VaultStoreOptions,
} from "./store.js";

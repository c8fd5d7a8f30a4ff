export { SessionStoreError } from "./errors.js";
export { generateSessionId } from "./session-id.js";
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

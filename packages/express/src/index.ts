export {
  generateSessionId,
  regenerate,
  regenerateKeepingData,
  type VaultSessionOptions,
  vaultSession,
} from "./helpers.js";
export { createNodeFetch, type NodeFetchOptions } from "./node-fetch.js";
export {
  type RequestWithSession,
  type StoredSession,
  type UserSessionRow,
  type VaultConnectionOptions,
  VaultStore,
  type VaultStoreBehaviour,
  type VaultStoreOptions,
} from "./store.js";

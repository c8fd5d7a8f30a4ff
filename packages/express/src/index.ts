export { createNodeFetch, type NodeFetchOptions } from "@sessionvault/client/node";
export { generateSessionId, isSessionError, SessionError, SessionErrorCode } from "@sessionvault/session";
export {
  regenerate,
  regenerateKeepingData,
  type VaultSessionOptions,
  vaultSession,
} from "./helpers.js";
export { type SaveBeforeResponseOptions, saveBeforeResponse } from "./save-before-response.js";
export {
  type RequestWithSession,
  type StoredSession,
  type UserSessionRow,
  type VaultConnectionOptions,
  VaultStore,
  type VaultStoreBehaviour,
  type VaultStoreOptions,
} from "./store.js";

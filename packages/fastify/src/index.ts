export { generateSessionId, isSessionError, SessionError, SessionErrorCode } from "@sessionvault/session";
export {
  type FastifySessionData,
  type FastifySessionLike,
  type GetCallback,
  SESSION_STATE_KEY,
  type SessionRequest,
  type StoreCallback,
  type UserSessionRow,
  type VaultConnectionOptions,
  VaultStore,
  type VaultStoreBehaviour,
  type VaultStoreOptions,
} from "./store.js";

export { SessionStoreError } from "./errors.js";
export { generateSessionId } from "./session-id.js";
export type { Callback } from "./settle.js";
export {
  type FastifySessionData,
  type FastifySessionLike,
  SESSION_STATE_KEY,
  type SessionRequest,
  type UserSessionRow,
  type VaultConnectionOptions,
  VaultStore,
  type VaultStoreBehaviour,
  type VaultStoreOptions,
} from "./store.js";

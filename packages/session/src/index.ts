export {
  isSessionError,
  SessionError,
  SessionErrorCode,
  toSessionError,
} from "./errors.js";
export { generateSessionId, isSessionId } from "./session-id.js";
export {
  type LoadedSession,
  type SaveOutcome,
  SessionEngine,
  SessionState,
  type StoreBehaviour,
  type StoreConnectionOptions,
  type StoreOptions,
  type StoreWiring,
} from "./session-store.js";
export { dataKeys, dataOf, diffSnapshots, type Snapshot, snapshotOf, type TopLevelPatch } from "./snapshot.js";
export { TouchThrottle, windowCovered } from "./touch.js";
export {
  type CookieLifetime,
  cookieWindow,
  expiresAt,
  type StoreWindow,
  slidingMs,
  toFinalTime,
  toSlidingTime,
  ttlSeconds,
} from "./window.js";

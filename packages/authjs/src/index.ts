export { SessionVaultAdapter, type SessionVaultAdapterOptions } from "./adapter.js";
export { listUserSessions, revokeUserSessions, type UserSession } from "./sessions.js";

import type { VaultClient } from "@sessionvault/client";
import { createSessionVault } from "@sessionvault/next";
import { COOKIE_NAME, type DashboardSession, TTL_SECONDS } from "./config";

export type { DashboardSession } from "./config";

// The vault comes from SESSIONVAULT_URL and SESSIONVAULT_TOKEN, read at the first request
// (`npm run demo` sets both), so `next build` needs no vault.
export const sessions = createSessionVault<DashboardSession>({ cookieName: COOKIE_NAME, ttl: TTL_SECONDS });

/** The vault client behind the sessions, for user profiles and session listing. */
export function vaultClient(): VaultClient {
  return sessions.client;
}

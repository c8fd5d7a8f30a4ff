// Shared by the proxy and the app; imports nothing so the proxy bundle stays small.

/**
 * What the session holds: no name, no email. The user is a vault token (the session's
 * user link); the profile behind it stays encrypted in the vault.
 */
export interface DashboardSession {
  role: "admin" | "member";
  device: { summary: string; network?: string; created: number };
  visits: number;
}

export const COOKIE_NAME = "dashboard_session";
export const TTL_SECONDS = 60 * 60 * 24;

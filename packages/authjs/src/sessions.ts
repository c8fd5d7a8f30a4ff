import type { VaultClient } from "@sessionvault/client";

// Session-engine logic of this package (expiry -> vault window, a user's session list,
// revoke-everywhere), kept in one file so it can move onto @sessionvault/session as is.

/** An Auth.js `expires` as the vault's absolute `finaltime` (unix seconds, never extended). */
export function finalTimeOf(expires: Date): number {
  return Math.max(1, Math.ceil(expires.getTime() / 1000));
}

/** What a vault session stores for Auth.js: the owner's user token and the expiry. */
export interface StoredSession {
  userId: string;
  expires: string;
}

/**
 * One of a user's live sessions, as listed for a "your devices" page.
 *
 * @example
 * ```ts
 * const sessions: UserSession[] = await listUserSessions(vault, userId);
 * ```
 */
export interface UserSession {
  sessionToken: string;
  expires: Date;
  lastUsed: Date;
  created: Date;
}

/**
 * Lists a user's live Auth.js sessions, most recently used first.
 *
 * @example
 * ```ts
 * const sessions = await listUserSessions(vault, session.user.id);
 * ```
 */
export async function listUserSessions(vault: VaultClient, userId: string): Promise<UserSession[]> {
  const { rows } = await vault.listUserSessions<Partial<StoredSession>>("token", userId);
  const now = Date.now();
  return rows
    .filter((row) => typeof row.data.expires === "string" && Date.parse(row.data.expires) > now)
    .map((row) => ({
      sessionToken: row.sessionuuid,
      expires: new Date(row.data.expires as string),
      lastUsed: new Date(row.lastused),
      created: new Date(row.created),
    }));
}

/**
 * Signs a user out everywhere: deletes all their sessions except those in `keep`.
 *
 * @example
 * ```ts
 * await revokeUserSessions(vault, userId, { keep: [currentSessionToken] });
 * ```
 */
export async function revokeUserSessions(
  vault: VaultClient,
  userId: string,
  options: { keep?: string[] } = {},
): Promise<void> {
  await vault.revokeUserSessions("token", userId, options.keep ? { keep: options.keep } : {});
}

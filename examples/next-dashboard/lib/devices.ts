import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { sessions } from "./session";

// Rows reach the browser under an HMAC of their session id, never the id itself. The key
// lives only in this server process (or DASHBOARD_HANDLE_KEY when several processes serve).
const handleKey = process.env.DASHBOARD_HANDLE_KEY
  ? Buffer.from(process.env.DASHBOARD_HANDLE_KEY, "utf8")
  : randomBytes(32);

function handleFor(sessionId: string): string {
  return createHmac("sha256", handleKey).update(sessionId).digest("base64url");
}

function sameHandle(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** One row of "Your sessions", safe to render. */
export interface DeviceRow {
  handle: string;
  summary: string;
  network: string;
  created: number;
  lastUsed: number;
  current: boolean;
}

/** Every live session of the user, this device first. */
export async function listDevices(userToken: string): Promise<DeviceRow[]> {
  const current = await sessions.getSession();
  const { rows } = await sessions.listSessions("token", userToken, { limit: 100 });
  return rows
    .map((row) => ({
      handle: handleFor(row.sessionuuid),
      summary: row.data.device?.summary ?? "Unknown device",
      network: row.data.device?.network ?? "unknown network",
      created: row.data.device?.created ?? row.created,
      lastUsed: row.lastused,
      current: row.sessionuuid === current.id,
    }))
    .sort((a, b) => Number(b.current) - Number(a.current) || b.lastUsed - a.lastUsed);
}

/**
 * The session id behind a handle, looked up among this user's sessions only: a handle
 * from another account (or a stale page) finds nothing.
 */
export async function sessionIdForHandle(userToken: string, handle: string): Promise<string | null> {
  const { rows } = await sessions.listSessions("token", userToken, { limit: 100 });
  return rows.find((row) => sameHandle(handleFor(row.sessionuuid), handle))?.sessionuuid ?? null;
}

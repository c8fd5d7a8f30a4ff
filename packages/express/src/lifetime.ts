import { expiresAt } from "@sessionvault/session";

/** The cookie fields express-session keeps with a session (a `Cookie` or its JSON form). */
export interface CookieLike {
  expires?: Date | string | null | undefined;
  maxAge?: number | null | undefined;
  originalMaxAge?: number | null | undefined;
}

/**
 * Seconds until the session cookie expires, or `undefined` for a browser-session cookie.
 * `expires` (a Date, or an ISO string after a JSON round trip) wins because express-session
 * derives `maxAge` from it; a bare numeric `maxAge` (milliseconds) is the fallback.
 */
export function cookieSecondsLeft(cookie: CookieLike | undefined, now: number): number | undefined {
  if (!cookie) return undefined;
  const at = expiresAt(cookie.expires);
  if (at !== undefined) return Math.ceil((at - now) / 1000);
  const { maxAge } = cookie;
  if (typeof maxAge === "number" && Number.isFinite(maxAge)) return Math.ceil(maxAge / 1000);
  return undefined;
}

/** The vault's largest duration (`[1-9][0-9]{0,8}s`): about 31 years. */
const MAX_WINDOW_SECONDS = 999_999_999;

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
  const { expires, maxAge } = cookie;
  if (expires !== null && expires !== undefined) {
    const at = expires instanceof Date ? expires.getTime() : Date.parse(expires);
    if (Number.isFinite(at)) return Math.ceil((at - now) / 1000);
  }
  if (typeof maxAge === "number" && Number.isFinite(maxAge)) return Math.ceil(maxAge / 1000);
  return undefined;
}

/** A vault `slidingtime` for a positive number of seconds. */
export function toSlidingTime(seconds: number): string {
  return `${Math.min(Math.max(1, Math.ceil(seconds)), MAX_WINDOW_SECONDS)}s`;
}

import type { WindowOptions } from "@sessionvault/client";

/** The vault's largest duration (`[1-9][0-9]{0,8}s`): about 31 years. */
const MAX_WINDOW_SECONDS = 999_999_999;

/**
 * A vault `slidingtime` covering `ms` milliseconds, rounded up to whole seconds.
 *
 * @example
 * ```ts
 * toSlidingTime(1_500); // "2s"
 * ```
 */
export function toSlidingTime(ms: number): string {
  return `${Math.min(Math.max(1, Math.ceil(ms / 1000)), MAX_WINDOW_SECONDS)}s`;
}

/**
 * A vault `finaltime` (unix seconds) no earlier than `atMs`.
 *
 * @example
 * ```ts
 * toFinalTime(Date.now() + 3_600_000);
 * ```
 */
export function toFinalTime(atMs: number): number {
  return Math.ceil(atMs / 1000);
}

/**
 * The milliseconds a `slidingtime` written by {@link toSlidingTime} stands for.
 *
 * @example
 * ```ts
 * slidingMs("90s"); // 90_000
 * ```
 */
export function slidingMs(slidingtime: string): number {
  return Number(slidingtime.slice(0, -1)) * 1000;
}

/**
 * The time window a save gives the vault record.
 *
 * @example
 * ```ts
 * const window: StoreWindow = { options: { slidingtime: "3600s" }, expires: Date.now() + 3_600_000, sliding: true };
 * ```
 */
export interface StoreWindow {
  options: WindowOptions;
  /** When the record expires if written now (ms). */
  expires: number;
  /** Whether the window only slides, so an unchanged save can be a cheap touch. */
  sliding: boolean;
}

/**
 * What a framework knows about a cookie's lifetime, in the units frameworks use.
 *
 * @example
 * ```ts
 * const lifetime: CookieLifetime = { maxAgeMs: 3_600_000, rolling: true, ttlSeconds: 86_400 };
 * ```
 */
export interface CookieLifetime {
  /** The cookie's max age in milliseconds; wins over `expires`. */
  maxAgeMs?: number | null | undefined;
  /** A fixed end: a `Date`, an ISO string (after a JSON round trip) or epoch ms. */
  expires?: Date | string | number | null | undefined;
  /** With a `maxAgeMs`: false fixes the end too, so reads never outlive the cookie. Default true. */
  rolling?: boolean;
  /** Seconds for a browser-session cookie (neither `maxAgeMs` nor `expires`); it slides. */
  ttlSeconds: number;
  /**
   * A cap in seconds counted from the session's first write, never extended (the vault
   * keeps it with the record): the end of a sliding window without a fixed end of its own.
   */
  absoluteSeconds?: number | undefined;
}

/**
 * The window for a cookie: `maxAgeMs` slides (and with `rolling: false` also gets an
 * absolute end), `expires` is an absolute end, neither falls back to a sliding
 * `ttlSeconds`; a sliding window without a fixed end is capped by `absoluteSeconds`. `null` when the cookie has already expired: there is nothing to keep.
 *
 * @example
 * ```ts
 * const window = cookieWindow({ maxAgeMs: req.session.cookie.maxAge, ttlSeconds: 86_400 }, Date.now());
 * ```
 */
export function cookieWindow(lifetime: CookieLifetime, now: number): StoreWindow | null {
  const { maxAgeMs, expires } = lifetime;
  if (typeof maxAgeMs === "number" && !Number.isNaN(maxAgeMs)) {
    if (!(maxAgeMs > 0)) return null;
    const slidingtime = toSlidingTime(maxAgeMs);
    if (lifetime.rolling !== false) return capped({ slidingtime }, lifetime.absoluteSeconds, now);
    const finaltime = toFinalTime(now + maxAgeMs);
    return { options: { slidingtime, finaltime }, expires: finaltime * 1000, sliding: false };
  }
  const at = expiresAt(expires);
  if (at !== undefined) {
    if (at <= now) return null;
    const finaltime = toFinalTime(at);
    return { options: { finaltime }, expires: finaltime * 1000, sliding: false };
  }
  if (!(lifetime.ttlSeconds > 0)) throw new TypeError("session store `ttl` must be a positive number of seconds");
  return capped({ slidingtime: toSlidingTime(lifetime.ttlSeconds * 1000) }, lifetime.absoluteSeconds, now);
}

// A sliding window, with the vault's "duration from the first write" cap when one is asked
// for. It still slides: a touch moves it, and the vault never lets it pass the cap.
function capped(options: { slidingtime: string }, absoluteSeconds: number | undefined, now: number): StoreWindow {
  const window = { options, expires: now + slidingMs(options.slidingtime), sliding: true };
  if (absoluteSeconds === undefined) return window;
  if (!(absoluteSeconds > 0)) throw new TypeError("session `absoluteTtl` must be a positive number of seconds");
  return { ...window, options: { ...options, finaltime: toSlidingTime(absoluteSeconds * 1000) } };
}

/**
 * Epoch ms of an `expires` value, or `undefined` when there is none.
 *
 * @example
 * ```ts
 * expiresAt("2030-01-01T00:00:00.000Z"); // 1893456000000
 * ```
 */
export function expiresAt(expires: Date | string | number | null | undefined): number | undefined {
  if (expires === null || expires === undefined) return undefined;
  const at = expires instanceof Date ? expires.getTime() : typeof expires === "number" ? expires : Date.parse(expires);
  return Number.isFinite(at) ? at : undefined;
}

/**
 * A `ttl` option (seconds, or a function of the session) resolved for one session.
 *
 * @example
 * ```ts
 * const seconds = ttlSeconds((s) => (s.user ? 3600 : 600), session);
 * ```
 */
export function ttlSeconds<S>(ttl: number | ((session: S) => number), session: S): number {
  const seconds = typeof ttl === "function" ? ttl(session) : ttl;
  if (!(seconds > 0)) throw new TypeError("session store `ttl` must return a positive number of seconds");
  return seconds;
}

import { type StoreWindow, slidingMs } from "./window.js";

// Bounds the memory the touchAfter bookkeeping may take on a busy process.
const MAX_REMEMBERED = 10_000;
// Expiries this close together are the same to a window counted in whole seconds.
const SAME_EXPIRY_MS = 2_000;
// The vault slides a window on a read only when it moves by 1% of its length (at most a
// minute); a refresh that would move it by less is covered the same way.
const SLIDE_SHARE = 0.01;
const MAX_SLIDE_LAG_MS = 60_000;

/**
 * When this process last wrote or extended each session, so that extensions within
 * `touchAfterMs` are skipped (connect-mongo's `touchAfter`). Least recently used ids are
 * forgotten past 10 000 entries.
 *
 * @example
 * ```ts
 * const throttle = new TouchThrottle(60_000);
 * if (!throttle.recent(id, Date.now())) await client.touchSession(id);
 * ```
 */
export class TouchThrottle {
  private readonly last = new Map<string, number>();
  constructor(readonly touchAfterMs: number) {}

  /** Whether `id` was written or extended less than `touchAfterMs` ago. */
  recent(id: string, now: number): boolean {
    if (this.touchAfterMs === 0) return false;
    const last = this.last.get(id);
    return last !== undefined && now - last < this.touchAfterMs;
  }

  /** Records a write or extension of `id` at `now`. */
  mark(id: string, now: number): void {
    if (this.touchAfterMs === 0) return;
    this.last.delete(id);
    this.last.set(id, now);
    if (this.last.size > MAX_REMEMBERED) {
      const oldest = this.last.keys().next();
      if (!oldest.done) this.last.delete(oldest.value);
    }
  }

  /** Forgets `id` (destroyed, or found missing). */
  forget(id: string): void {
    this.last.delete(id);
  }
}

/**
 * Whether a record the vault reported to expire at `expires` already has the window a
 * save would give it: within two seconds, or for a sliding window within the lag the
 * vault allows itself when a read slides it (1%, at most a minute), or within `slackMs`.
 * This is the "read already extended" check that saves a touch right after a load.
 *
 * @example
 * ```ts
 * if (windowCovered(loaded.expires, window, 0)) return; // the load slid it already
 * ```
 */
export function windowCovered(expires: number | null | undefined, window: StoreWindow, slackMs = 0): boolean {
  if (expires === null || expires === undefined) return false;
  const sliding = window.options.slidingtime;
  const lag =
    window.sliding && sliding !== undefined
      ? Math.max(SAME_EXPIRY_MS, Math.min(slidingMs(sliding) * SLIDE_SHARE, MAX_SLIDE_LAG_MS))
      : SAME_EXPIRY_MS;
  return Math.abs(expires - window.expires) <= Math.max(lag, slackMs);
}

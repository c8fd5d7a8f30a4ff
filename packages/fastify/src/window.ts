/** The vault's largest duration (`[1-9][0-9]{0,8}s`): about 31 years. */
const MAX_WINDOW_SECONDS = 999_999_999;

/** A vault `slidingtime` covering `ms` milliseconds, rounded up to whole seconds. */
export function toSlidingTime(ms: number): string {
  return `${Math.min(Math.max(1, Math.ceil(ms / 1000)), MAX_WINDOW_SECONDS)}s`;
}

/** A vault `finaltime` (unix seconds) no earlier than `atMs`. */
export function toFinalTime(atMs: number): number {
  return Math.ceil(atMs / 1000);
}

/** The milliseconds a `slidingtime` written by {@link toSlidingTime} stands for. */
export function slidingMs(slidingtime: string): number {
  return Number(slidingtime.slice(0, -1)) * 1000;
}

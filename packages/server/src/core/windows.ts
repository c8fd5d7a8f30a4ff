import { InvalidInputError } from "./errors.js";

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, y: 365 * 86_400_000 } as const;
/** The contract's Duration: the number of digits per unit keeps every expiry a safe integer of ms. */
const DURATION = /^(?:[1-9][0-9]{0,8}s|[1-9][0-9]{0,7}m|[1-9][0-9]{0,6}h|[1-9][0-9]{0,5}d|[1-9][0-9]{0,3}y)$/;
const TIMESTAMP = /^[1-9][0-9]{0,11}$/;
const MAX_TIMESTAMP_S = 253402300799;

/** `30s`, `30m`, `1h`, `7d`, `1y` (365 days) -> milliseconds; anything else is a 400 naming the field. */
export function parseDuration(value: unknown, field: string): number {
  if (typeof value !== "string" || !DURATION.test(value)) {
    throw new InvalidInputError(`${field}: must be a duration such as 30s, 30m, 1h, 7d or 1y`);
  }
  const unit = value.at(-1) as keyof typeof UNIT_MS;
  return Number(value.slice(0, -1)) * UNIT_MS[unit];
}

/**
 * `finaltime` -> absolute unix ms. A duration counts from `created`. An integer or digit
 * string is read as Databunker does: a unix timestamp in seconds when it is later than
 * `now`, else a number of seconds (counted from `created`, like a duration), except that
 * a number of 1000000000 or more is always a timestamp. A final time
 * at or before `now` is refused: the record would be invisible the moment it is written.
 */
/** From here on a bare number is taken for a unix timestamp, whether past or future. */
const PAST_TIMESTAMP_S = 1_000_000_000;

export function parseFinalTime(value: unknown, created: number, now: number, field = "finaltime"): number {
  let at: number;
  if (typeof value === "string" && DURATION.test(value)) at = created + parseDuration(value, field);
  else {
    const seconds =
      typeof value === "number" ? value : typeof value === "string" && TIMESTAMP.test(value) ? Number(value) : NaN;
    if (!Number.isInteger(seconds) || seconds < 1 || seconds > MAX_TIMESTAMP_S) {
      throw new InvalidInputError(
        `${field}: must be a duration such as 30m, 1h, 7d or 1y, a number of seconds, or a unix timestamp in seconds`,
      );
    }
    if (seconds * 1000 > now) at = seconds * 1000;
    // A number from September 2001 on that is not later than now is a past timestamp,
    // not a window of three decades and more: refused below rather than read as seconds.
    else if (seconds >= PAST_TIMESTAMP_S) at = seconds * 1000;
    else at = created + seconds * 1000;
  }
  if (at <= now) throw new InvalidInputError(`${field}: is in the past`);
  return at;
}

/** The latest expiry a record can have: the end of year 9999, unix ms. */
export const MAX_EXPIRY_MS = MAX_TIMESTAMP_S * 1000;

/**
 * When a record used at `now` expires: the sliding window, capped by the final time and by
 * {@link MAX_EXPIRY_MS}, so even a window sealed by an earlier, unbounded vault yields an
 * expiry every driver stores and reads back exactly.
 */
export function expiryAt(now: number, slidingMs: number | null, finalAt: number | null): number | null {
  const final = finalAt === null ? null : Math.min(finalAt, MAX_EXPIRY_MS);
  if (slidingMs === null) return final;
  const sliding = Math.min(now + slidingMs, MAX_EXPIRY_MS);
  return final === null ? sliding : Math.min(sliding, final);
}

/**
 * How the client retries operations that are safe to repeat. Pass `retry: false` to
 * {@link createVaultClient} to turn retries off.
 *
 * @example
 * ```ts
 * const vault = createVaultClient({
 *   baseUrl: "http://127.0.0.1:4700",
 *   token: "DEMO",
 *   retry: { retries: 4, minDelayMs: 25, maxDelayMs: 500 },
 * });
 * ```
 */
export interface RetryOptions {
  /** Extra attempts after the first one. Default 2. */
  retries?: number;
  /** Base of the exponential backoff, in milliseconds. Default 50. */
  minDelayMs?: number;
  /** Upper bound of any single wait, in milliseconds. Default 1000. */
  maxDelayMs?: number;
}

/** Resolved retry settings. Internal. */
export interface RetryPolicy {
  retries: number;
  minDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { retries: 2, minDelayMs: 50, maxDelayMs: 1000 };
export const NO_RETRY: RetryPolicy = { retries: 0, minDelayMs: 0, maxDelayMs: 0 };

/** Statuses that mean "the request did not happen, or may be repeated": overload and gateway failures. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 502 || status === 503 || status === 504;
}

/**
 * "Full jitter" exponential backoff: a uniformly random wait between 0 and
 * min(maxDelayMs, minDelayMs * 2^attempt). Spreading the waits over the whole
 * interval keeps many clients that failed together from retrying together.
 * `attempt` counts retries from 0.
 */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.minDelayMs * 2 ** attempt);
  return Math.floor(random() * ceiling);
}

/**
 * The wait a `Retry-After` header asks for, in milliseconds, capped at maxDelayMs;
 * undefined when the header is absent or unreadable. Accepts delta-seconds and HTTP dates.
 */
export function retryAfterDelay(
  header: string | null,
  policy: RetryPolicy,
  now: number = Date.now(),
): number | undefined {
  if (header === null) return undefined;
  const trimmed = header.trim();
  let ms: number;
  if (/^\d+$/.test(trimmed)) {
    ms = Number(trimmed) * 1000;
  } else if (/GMT$/.test(trimmed)) {
    const date = Date.parse(trimmed);
    if (Number.isNaN(date)) return undefined;
    ms = Math.max(0, date - now);
  } else {
    return undefined;
  }
  return Math.min(ms, policy.maxDelayMs);
}

/** Waits `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (signal === undefined) return new Promise((resolve) => setTimeout(resolve, ms));
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

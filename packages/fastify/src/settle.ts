/** A Node-style callback as @fastify/session passes them. */
type Callback<T> = (err: Error | null, value?: T) => void;

/**
 * Calls `callback` exactly once with the outcome of `work`, on a fresh tick outside the
 * promise chain, so an exception thrown by the callback can never make it run twice.
 */
export function settle<T>(work: Promise<T>, callback: Callback<T>): void {
  work.then(
    (value) => process.nextTick(callback, null, value),
    (reason: unknown) => {
      const error = reason instanceof Error ? reason : new Error("session store operation failed", { cause: reason });
      process.nextTick(callback, error);
    },
  );
}

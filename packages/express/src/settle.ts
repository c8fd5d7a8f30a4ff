import type { EventEmitter } from "node:events";

/** A Node-style callback as express-session passes them. */
export type Callback<T> = (err: Error | null, value?: T) => void;

/** Turns anything thrown into an `Error`, keeping `Error`s (and so `VaultError`s) as they are. */
export function toError(reason: unknown): Error {
  if (reason instanceof Error) return reason;
  return new Error("session store operation failed", { cause: reason });
}

/**
 * Calls `callback` exactly once with the outcome of `work`. The call happens on a fresh tick,
 * outside the promise chain, so an exception thrown by the callback can never make it run a
 * second time with that exception. Without a callback a failure is emitted as `error` when
 * someone listens, since there is nobody else to tell.
 */
export function settle<T>(emitter: EventEmitter, work: Promise<T>, callback: Callback<T> | undefined): void {
  work.then(
    (value) => {
      if (callback) process.nextTick(callback, null, value);
    },
    (reason: unknown) => {
      const error = toError(reason);
      if (callback) process.nextTick(callback, error);
      else if (emitter.listenerCount("error") > 0) emitter.emit("error", error);
    },
  );
}

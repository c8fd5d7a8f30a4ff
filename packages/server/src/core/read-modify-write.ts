import { setTimeout as sleep } from "node:timers/promises";
import { BusyError } from "./errors.js";
import { KeyedLock } from "./keyed-lock.js";

export const MAX_CAS_ATTEMPTS = 16;
const MAX_BACKOFF_MS = 64;

/**
 * Waits before retrying a compare-and-set lost to another vault instance. Writers of one
 * instance never race each other (they queue per record), so only cross-instance races
 * get here; full jitter keeps two instances from colliding again in lockstep.
 */
export function backoff(attempt: number): Promise<void> {
  return sleep(Math.random() * Math.min(2 ** attempt, MAX_BACKOFF_MS));
}

/**
 * Read-modify-write steps on one record run one at a time inside this process, and retry
 * their compare-and-set when another instance wrote first.
 */
export class ReadModifyWrite {
  private readonly locks = new KeyedLock();

  /** Runs `task` after every earlier task on `key` settled. */
  serialize<T>(key: string, task: () => Promise<T>): Promise<T> {
    return this.locks.run(key, task);
  }

  /**
   * Runs `attempt` under the record's lock until its compare-and-set wins; `attempt`
   * returns null when another writer got there first. Exhausted retries are a
   * {@link BusyError}: contention is the vault's problem, never the caller's conflict.
   */
  run<T>(lockKey: string, what: string, attempt: () => Promise<T | null>): Promise<T> {
    return this.locks.run(lockKey, async () => {
      for (let n = 0; n < MAX_CAS_ATTEMPTS; n++) {
        if (n > 0) await backoff(n);
        const result = await attempt();
        if (result !== null) return result;
      }
      throw new BusyError(`too many concurrent writes to this ${what}; retry`);
    });
  }
}

/**
 * Runs async tasks one at a time per key and in arrival order, while tasks on different
 * keys run concurrently. A key's queue is forgotten as soon as it empties, so memory
 * follows the number of keys in use, not the number ever seen.
 *
 * @example
 * ```ts
 * const lock = new KeyedLock();
 * await Promise.all([
 *   lock.run("session:a", () => patch("a", { x: 1 })),
 *   lock.run("session:a", () => patch("a", { y: 2 })), // starts after the first settles
 * ]);
 * ```
 */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<void>>();

  /** Number of keys with a task running or queued. */
  get size(): number {
    return this.tails.size;
  }

  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key);
    let release!: () => void;
    const done = new Promise<void>((resolve) => {
      release = resolve;
    });
    // The chain holds only promises that resolve, so one failing task never blocks the next.
    const tail = previous ? previous.then(() => done) : done;
    this.tails.set(key, tail);
    try {
      if (previous) await previous;
      return await task();
    } finally {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}

import type { Logger } from "pino";
import type { StorageDriver } from "./storage/types.js";

export interface Sweeper {
  /** Removes expired records and index entries, and audit events past retention. */
  sweep(): Promise<{ records: number; audit: number }>;
  /** Stops the background timer. */
  stop(): void;
}

/**
 * Sweeps expired records in batches (at most 100 batches a run) and prunes the audit
 * trail; every `intervalMs` in the background when it is above 0.
 */
export function createSweeper(options: {
  driver: StorageDriver;
  now: () => number;
  batch: number;
  intervalMs: number;
  auditRetentionMs: number;
  logger: Logger;
}): Sweeper {
  const { driver, now, batch, logger } = options;
  const sweep = async () => {
    let records = 0;
    for (let round = 0; round < 100; round++) {
      const removed = await driver.sweep(now(), batch);
      records += removed;
      if (removed < batch) break;
    }
    const audit = await driver.pruneAudit(now() - options.auditRetentionMs);
    return { records, audit };
  };
  let timer: NodeJS.Timeout | null = null;
  if (options.intervalMs > 0) {
    timer = setInterval(() => {
      sweep().then(
        (removed) => {
          if (removed.records > 0) logger.debug({ removed: removed.records }, "swept expired records");
        },
        (error: unknown) => logger.warn({ err: { type: (error as Error)?.name } }, "sweep failed"),
      );
    }, options.intervalMs);
    timer.unref();
  }
  return {
    sweep,
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
}

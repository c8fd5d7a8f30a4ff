import type { Logger } from "pino";
import type { AuditEvent, StorageDriver } from "../storage/types.js";

/**
 * Which events reach the audit log. Rates are probabilities from 0 (never) to 1 (always).
 *
 * @example
 * ```ts
 * const audit: AuditConfig = { reads: 0.01, touches: 0, retentionMs: 30 * 86_400_000 };
 * ```
 */
export interface AuditConfig {
  /** Master switch (default true). */
  enabled?: boolean;
  /** Writes: upserts, patches, creates, updates (default 1). */
  writes?: number;
  /** Deletes and revocations (default 1). */
  deletes?: number;
  /** Reads and listings (default 0: a busy site reads on every request). */
  reads?: number;
  /** SessionTouch (default 0). */
  touches?: number;
  /** Refused requests: a missing or wrong token (default 1). */
  denied?: number;
  /** Events older than this are pruned by the sweep (default 90 days). */
  retentionMs?: number;
}

export type AuditKind = "write" | "delete" | "read" | "touch" | "denied";

export interface AuditRecorder {
  /** `describe` runs only when the event is kept, so skipped events cost no hashing. */
  record(kind: AuditKind, describe: () => Omit<AuditEvent, "at">): void;
  /** Resolves once every event recorded so far is stored. */
  flush(): Promise<void>;
  retentionMs: number;
}

/**
 * Appends audit events to the storage driver without delaying the reply; failures are
 * logged (without the event's contents) and never fail the request.
 */
export function createAuditRecorder(
  driver: StorageDriver,
  config: AuditConfig,
  now: () => number,
  logger: Logger,
  random: () => number = Math.random,
): AuditRecorder {
  const enabled = config.enabled ?? true;
  const rates: Record<AuditKind, number> = {
    write: config.writes ?? 1,
    delete: config.deletes ?? 1,
    read: config.reads ?? 0,
    touch: config.touches ?? 0,
    denied: config.denied ?? 1,
  };
  const pending = new Set<Promise<void>>();
  return {
    retentionMs: config.retentionMs ?? 90 * 86_400_000,
    record(kind, describe) {
      if (!enabled) return;
      const rate = rates[kind];
      if (rate <= 0 || (rate < 1 && random() >= rate)) return;
      const event = describe();
      const write = driver
        .appendAudit({ ...event, at: now() })
        .catch((error: unknown) => {
          logger.warn({ action: event.action, err: { type: (error as Error)?.name } }, "audit append failed");
        })
        .finally(() => pending.delete(write));
      pending.add(write);
    },
    async flush() {
      await Promise.all([...pending]);
    },
  };
}

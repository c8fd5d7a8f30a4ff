import { AsyncLocalStorage } from "node:async_hooks";
import type { Logger } from "pino";
import type { AuditAppend, AuditEvent, DeniedAggregate, StorageDriver } from "../storage/types.js";
import { clientNetwork } from "./client-network.js";

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
  /** Events kept at most; beyond it the oldest go as new ones arrive (default 1,000,000). */
  maxEvents?: number;
  /**
   * Denied aggregates kept at most (one per client network, reason and minute); beyond it
   * the oldest go (default 10,000).
   */
  maxDenied?: number;
}

export const DEFAULT_AUDIT_MAX_EVENTS = 1_000_000;
export const DEFAULT_AUDIT_MAX_DENIED = 10_000;
/** Refused requests are counted in memory and stored at most this often. */
const DENIED_FLUSH_MS = 1000;
/** Distinct aggregates held in memory before they are stored early. */
const DENIED_BUFFER = 1000;

export type AuditKind = "write" | "delete" | "read" | "touch" | "denied";

/** Why a request was refused before it reached an operation. */
export type DeniedReason = "missing_token" | "invalid_token";

/** An event without its time and target, as an operation describes itself up front. */
export type AuditBase = Omit<AuditEvent, "at" | "target" | "outcome">;

/**
 * The audit event an operation owes while it runs: the first write it applies stores the
 * event in the same transaction (see {@link auditedDriver}), and `written` says so.
 */
export interface AuditSlot {
  base: AuditBase;
  written: boolean;
}

const currentSlot = new AsyncLocalStorage<AuditSlot>();

export interface AuditRecorder {
  /** `describe` runs only when the event is kept, so skipped events cost no hashing. */
  record(kind: AuditKind, describe: () => Omit<AuditEvent, "at">): void;
  /**
   * Runs `task` with the operation's event pending, when events of `kind` are kept: the
   * first write `task` applies stores the event with it, atomically. Returns the slot
   * (null when the event is not kept) so the caller can tell whether a write carried it.
   */
  withSlot<T>(
    kind: AuditKind,
    describe: () => AuditBase,
    task: () => Promise<T>,
  ): Promise<{ value: T; slot: AuditSlot | null }>;
  /** Stores an event that was already decided on (no sampling), without delaying the reply. */
  append(event: Omit<AuditEvent, "at">): void;
  /** Counts a refused request of `address`'s network; stored as aggregates, at most once a second. */
  denied(reason: DeniedReason, address: string | undefined): void;
  /** Resolves once every event recorded so far is stored. */
  flush(): Promise<void>;
  retentionMs: number;
  maxEvents: number;
  maxDenied: number;
}

function positiveInteger(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1) throw new TypeError(`audit.${name} must be a positive integer`);
  return value;
}

/**
 * Appends audit events to the storage driver without delaying the reply; failures are
 * logged (without the event's contents) and never fail the request. Events of writes
 * that an operation applies are not appended here but with the write itself
 * ({@link AuditRecorder.withSlot}). Refused requests are counted per client network,
 * reason and minute, and stored as a few counted rows, whatever their number.
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
  const maxEvents = positiveInteger(config.maxEvents, DEFAULT_AUDIT_MAX_EVENTS, "maxEvents");
  const maxDenied = positiveInteger(config.maxDenied, DEFAULT_AUDIT_MAX_DENIED, "maxDenied");
  const pending = new Set<Promise<void>>();
  const keep = (kind: AuditKind) => {
    if (!enabled) return false;
    const rate = rates[kind];
    return !(rate <= 0 || (rate < 1 && random() >= rate));
  };
  const track = (write: Promise<void>, what: string) => {
    const tracked = write
      .catch((error: unknown) => {
        logger.warn({ action: what, err: { type: (error as Error)?.name } }, "audit append failed");
      })
      .finally(() => pending.delete(tracked));
    pending.add(tracked);
  };
  const append = (event: Omit<AuditEvent, "at">) =>
    track(driver.appendAudit({ ...event, at: now() }, maxEvents), event.action);

  let deniedBuffer = new Map<string, DeniedAggregate>();
  let deniedTimer: NodeJS.Timeout | null = null;
  const flushDenied = () => {
    if (deniedTimer) clearTimeout(deniedTimer);
    deniedTimer = null;
    if (deniedBuffer.size === 0) return;
    const entries = [...deniedBuffer.values()];
    deniedBuffer = new Map();
    track(driver.recordDenied(entries, maxDenied), "denied");
  };

  return {
    retentionMs: config.retentionMs ?? 90 * 86_400_000,
    maxEvents,
    maxDenied,
    record(kind, describe) {
      if (keep(kind)) append(describe());
    },
    append,
    async withSlot(kind, describe, task) {
      if (!keep(kind)) return { value: await task(), slot: null };
      const slot: AuditSlot = { base: describe(), written: false };
      return { value: await currentSlot.run(slot, task), slot };
    },
    denied(reason, address) {
      if (!keep("denied")) return;
      const at = now();
      const minute = at - (at % 60_000);
      const network = clientNetwork(address) ?? "unknown";
      const id = `${minute} ${network} ${reason}`;
      const entry = deniedBuffer.get(id);
      if (entry) {
        entry.count++;
        entry.lastAt = Math.max(entry.lastAt, at);
        entry.firstAt = Math.min(entry.firstAt, at);
      } else {
        deniedBuffer.set(id, { minute, network, reason, count: 1, firstAt: at, lastAt: at });
      }
      if (deniedBuffer.size >= DENIED_BUFFER) flushDenied();
      else if (!deniedTimer) {
        deniedTimer = setTimeout(flushDenied, DENIED_FLUSH_MS);
        deniedTimer.unref();
      }
    },
    async flush() {
      flushDenied();
      await Promise.all([...pending]);
    },
  };
}

/**
 * The storage driver as the operations see it: the first record write an operation
 * applies (`put`, `delete`, `deleteByOwner`) carries the operation's pending audit event
 * into the driver, which stores both in one transaction or neither. `target` names the
 * record for the event (a salted hash of its key).
 */
export function auditedDriver(
  driver: StorageDriver,
  target: (key: string) => string,
  maxEvents: number,
  now: () => number,
): StorageDriver {
  const take = (key: string | null): AuditAppend | undefined => {
    const slot = currentSlot.getStore();
    if (!slot || slot.written) return undefined;
    return {
      event: { ...slot.base, target: key === null ? null : target(key), outcome: "ok", at: now() },
      maxEvents,
    };
  };
  const mark = (audit: AuditAppend | undefined, applied: boolean) => {
    if (audit && applied) {
      const slot = currentSlot.getStore();
      if (slot) slot.written = true;
    }
  };
  const overrides: Partial<StorageDriver> = {
    async put(record, options = {}) {
      const audit = take(record.key);
      const applied = await driver.put(record, audit ? { ...options, audit } : options);
      mark(audit, applied);
      return applied;
    },
    async delete(kind, key) {
      const audit = take(key);
      const applied = await driver.delete(kind, key, audit);
      mark(audit, applied);
      return applied;
    },
    async deleteByOwner(kind, owner, keep, at) {
      const audit = take(null);
      const deleted = await driver.deleteByOwner(kind, owner, keep, at, audit);
      mark(audit, deleted > 0);
      return deleted;
    },
  };
  // Every other member is the driver's own, bound to it (drivers keep private fields).
  const bound = new Map<PropertyKey, unknown>();
  return new Proxy(driver, {
    get(target, property) {
      if (Object.hasOwn(overrides, property)) return overrides[property as keyof StorageDriver];
      if (bound.has(property)) return bound.get(property);
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== "function") return value;
      const fn = (value as (...args: unknown[]) => unknown).bind(target);
      bound.set(property, fn);
      return fn;
    },
  });
}

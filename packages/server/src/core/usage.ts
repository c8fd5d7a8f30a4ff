import type { StorageDriver, StoredRecord } from "../storage/types.js";
import { expiryAt } from "./windows.js";

/**
 * Extends a record's sliding window and recency on use. Extensions are coalesced: at most
 * one write per 1% of the window (and per `granularityMs`, capped at a minute), so a hot
 * record read on every request does not turn every read into a write.
 */
export async function markUsed(
  driver: StorageDriver,
  record: StoredRecord,
  window: { sliding: number | null; final: number | null },
  now: number,
  granularityMs: number,
): Promise<{ lastUsed: number; expires: number | null }> {
  const expires = expiryAt(now, window.sliding, window.final);
  const granularity = Math.max(granularityMs, Math.min((window.sliding ?? 0) / 100, 60_000));
  if (now - record.lastUsed < granularity) {
    return { lastUsed: record.lastUsed, expires: record.expiresAt };
  }
  await driver.touch(record.kind, record.key, expires, now, now);
  return { lastUsed: now, expires };
}

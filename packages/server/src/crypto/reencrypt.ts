import type { Logger } from "pino";
import type { StorageDriver } from "../storage/types.js";
import { IntegrityError, type Keyring } from "./keyring.js";

/** What a re-encryption run did. */
export interface ReencryptResult {
  reencrypted: number;
  retired: string[];
  rewrapped: number;
  unreadable: number;
}

/** Passes over the whole store before a run gives up retiring (a store rewritten faster than it is scanned). */
const MAX_PASSES = 8;

/**
 * Re-seals every record under a decrypt-only key, retires those keys, and re-wraps every
 * stored key under the first master key.
 *
 * Safe while any number of instances serve, by construction rather than by timing:
 * storage accepts a sealed write only while its key is active (checked atomically with
 * the write, see `PutOptions.sealedWith`), and key states only move forward. So once a
 * key is decrypt-only in storage, no record can be stored under it any more; a pass that
 * starts after that and finds no record under it proves none exists, and only then is the
 * key retired. Each pass takes its own snapshot of the decrypt-only keys when it begins:
 * a key demoted during a pass is not retired on that pass's evidence. A record that fails
 * its integrity check is counted, never a reason to stop.
 */
export async function reencryptAll(
  driver: StorageDriver,
  keyring: Keyring,
  now: () => number,
  logger: Logger,
): Promise<ReencryptResult> {
  await keyring.refresh();
  let reencrypted = 0;
  const unreadableKeys = new Set<string>();
  let retired: string[] = [];
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const old = await keyring.decryptOnlyKeyIds();
    if (old.size === 0) break;
    let found = 0;
    let cursor: string | null = null;
    do {
      const page = await driver.scan(cursor, 200);
      cursor = page.next;
      for (const record of page.records) {
        const envelope = keyring.inspect(record.blob);
        if (!envelope || !old.has(envelope.keyId)) continue;
        let plain: Buffer;
        try {
          plain = await keyring.open(record.kind, record.key, envelope.tenantTag, record.blob);
        } catch (error) {
          if (!(error instanceof IntegrityError)) throw error;
          // A damaged record stays unreadable whatever happens to its key; it must not stop the run.
          unreadableKeys.add(`${record.kind}:${record.key}`);
          continue;
        }
        found++;
        const blob = await keyring.seal(record.kind, record.key, envelope.tenantTag, plain);
        // Same version: re-sealing changes no content, so callers' expectversion stays valid.
        // A concurrent write wins the compare-and-set; it was sealed under an active key.
        if (await driver.put({ ...record, blob }, { expectVersion: record.version, now: now() })) reencrypted++;
      }
    } while (cursor);
    if (found === 0) {
      retired = await keyring.retire(old);
      break;
    }
  }
  const rewrapped = await keyring.rewrapAll();
  const unreadable = unreadableKeys.size;
  if (unreadable > 0) logger.error({ unreadable }, "records failed the integrity check during re-encryption");
  logger.info({ reencrypted, retired: retired.length, rewrapped }, "re-encryption finished");
  return { reencrypted, retired, rewrapped, unreadable };
}

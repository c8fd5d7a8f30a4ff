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

/**
 * Re-seals every record that is not under an active key, retires the decrypt-only keys
 * nothing uses any more, and re-wraps every stored key under the first master key. A
 * record rewritten concurrently keeps its key alive for the next run; a record that fails
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
  let unreadable = 0;
  const stale = new Set<string>();
  for (let pass = 0; pass < 3; pass++) {
    stale.clear();
    let cursor: string | null = null;
    let missed = 0;
    do {
      const page = await driver.scan(cursor, 200);
      cursor = page.next;
      for (const record of page.records) {
        const envelope = keyring.inspect(record.blob);
        if (!envelope || envelope.keyId === keyring.activeKeyId) continue;
        const state = keyring.describe().find((k) => k.id === envelope.keyId)?.state;
        if (state === "active") continue;
        let plain: Buffer;
        try {
          plain = await keyring.open(record.kind, record.key, envelope.tenantTag, record.blob);
        } catch (error) {
          if (!(error instanceof IntegrityError)) throw error;
          // A damaged record stays unreadable whatever happens to its key; it must not stop the run.
          if (pass === 0) unreadable++;
          continue;
        }
        const blob = await keyring.seal(record.kind, record.key, envelope.tenantTag, plain);
        // Same version: re-sealing changes no content, so callers' expectversion stays valid.
        const ok = await driver.put({ ...record, blob }, { expectVersion: record.version, now: now() });
        if (ok) reencrypted++;
        else {
          missed++;
          stale.add(envelope.keyId);
        }
      }
    } while (cursor);
    if (missed === 0) break;
  }
  const retired = await keyring.retireDecryptOnly(stale);
  const rewrapped = await keyring.rewrapAll();
  if (unreadable > 0) logger.error({ unreadable }, "records failed the integrity check during re-encryption");
  logger.info({ reencrypted, retired: retired.length, rewrapped }, "re-encryption finished");
  return { reencrypted, retired, rewrapped, unreadable };
}

import type { RecordKind, StorageDriver } from "../storage/types.js";

/**
 * Claims a unique index name (an identity, a token base, a unique token value) for a
 * record key. The record must already be stored: a name whose holder record does not
 * exist (a crash between steps, an expired owner) is taken over, and only while it still
 * names that holder, so two claimants can never both win. False when a live record holds it.
 */
export async function claimIndex(
  driver: StorageDriver,
  now: number,
  name: string,
  key: string,
  kind: RecordKind,
  expiresAt: number | null,
): Promise<boolean> {
  for (let attempt = 0; attempt < 4; attempt++) {
    if (await driver.indexPut(name, key, expiresAt, now)) return true;
    const holder = await driver.indexGet(name, now);
    if (holder === key) return true;
    if (holder !== null) {
      if (await driver.get(kind, holder, now)) return false;
      await driver.indexDelete(name, holder);
    }
  }
  return false;
}

/** Removes index names, but only those that still point at `key`. */
export async function releaseIndex(driver: StorageDriver, names: Iterable<string>, key: string): Promise<void> {
  for (const name of names) await driver.indexDelete(name, key);
}

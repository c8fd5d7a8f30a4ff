import type { RecordKind, StorageDriver } from "../storage/types.js";

/**
 * Claims a unique index name (an identity, a token base, a unique token value) for a
 * record key. A name left behind by a record that no longer exists (a crash between
 * steps, an expired owner) is taken over. False when a live record holds it.
 */
export async function claimIndex(
  driver: StorageDriver,
  now: number,
  name: string,
  key: string,
  kind: RecordKind,
  expiresAt: number | null,
): Promise<boolean> {
  if (await driver.indexPut(name, key, expiresAt, now)) return true;
  const holder = await driver.indexGet(name, now);
  if (holder === key) return true;
  if (holder !== null && (await driver.get(kind, holder, now))) return false;
  await driver.indexDelete(name);
  return driver.indexPut(name, key, expiresAt, now);
}

/** Removes index names, but only those that still point at `key`. */
export async function releaseIndex(driver: StorageDriver, now: number, names: Iterable<string>, key: string) {
  for (const name of names) {
    if ((await driver.indexGet(name, now)) === key) await driver.indexDelete(name);
  }
}

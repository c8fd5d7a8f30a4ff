import { BusyError } from "../core/errors.js";
import { type PutOptions, SealingKeyNotActiveError, type StorageDriver, type StoredRecord } from "../storage/types.js";
import type { Keyring } from "./keyring.js";

/** Re-seals of one write before it is given up as busy (each needs a new demotion to fail again). */
const MAX_RESEALS = 4;

/**
 * The driver as the vault uses it: every put of a sealed record names the key it is
 * sealed under, so storage stores it only while that key is active. A put refused because
 * the key was demoted meanwhile (a rotation by another process) is sealed again under the
 * current key and retried, so callers never see the rotation. Every other method is the
 * driver's own.
 */
export function guardSealedWrites(
  driver: StorageDriver,
  keyring: Keyring,
  onResealed: (refusedKeyId: string) => void = () => {},
): StorageDriver {
  const put = async (record: StoredRecord, options: PutOptions = {}): Promise<boolean> => {
    let current = record;
    for (let attempt = 0; ; attempt++) {
      const keyId = keyring.inspect(current.blob)?.keyId;
      try {
        return await driver.put(current, keyId === undefined ? options : { ...options, sealedWith: keyId });
      } catch (error) {
        if (!(error instanceof SealingKeyNotActiveError) || keyId === undefined) throw error;
        if (attempt >= MAX_RESEALS) throw new BusyError("data keys changed during the write; retry");
        current = { ...current, blob: await keyring.resealRefused(current.kind, current.key, current.blob, keyId) };
        onResealed(keyId);
      }
    }
  };
  return new Proxy(driver, {
    get(target, property) {
      if (property === "put") return put;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

import { createHash } from "node:crypto";
import { type VaultClient, VaultConflictError } from "@sessionvault/client";

/**
 * The storage interface better-auth calls `secondaryStorage`.
 *
 * @example
 * ```ts
 * const storage: SecondaryStorage = vaultSecondaryStorage({ vault });
 * await storage.set("key", "value", 60);
 * ```
 */
export interface SecondaryStorage {
  get: (key: string) => Promise<string | null>;
  set: (key: string, value: string, ttl?: number) => Promise<void>;
  delete: (key: string) => Promise<void>;
  /** Reads a value and deletes it; of two concurrent calls exactly one gets it. */
  getAndDelete: (key: string) => Promise<string | null>;
  /** Adds one to a counter (created as 1 with `ttl` seconds); concurrent calls never lose a count. */
  increment: (key: string, ttl: number) => Promise<number>;
}

interface Stored {
  v: string;
  taken?: true;
}

const MAX_ATTEMPTS = 50;

/**
 * Options of {@link vaultSecondaryStorage}.
 *
 * @example
 * ```ts
 * const options: VaultSecondaryStorageOptions = { vault, prefix: "myapp" };
 * ```
 */
export interface VaultSecondaryStorageOptions {
  /** The vault client; each key becomes one encrypted vault record. */
  vault: VaultClient;
  /** Keeps several apps apart on one vault tenant. Default `"better-auth"`. */
  prefix?: string;
}

/**
 * better-auth `secondaryStorage` on the vault: sessions (and everything else better-auth
 * caches there) are stored encrypted, under a keyed name that is a hash of better-auth's
 * key, so a stolen vault database yields no session token. A `ttl` (seconds) becomes an
 * absolute expiry the vault enforces.
 *
 * @example
 * ```ts
 * import { betterAuth } from "better-auth";
 * import { createVaultClient } from "@sessionvault/client";
 * import { vaultSecondaryStorage } from "@sessionvault/better-auth";
 *
 * const vault = createVaultClient({ baseUrl: process.env.SESSIONVAULT_URL!, token: process.env.SESSIONVAULT_TOKEN! });
 * export const auth = betterAuth({ secondaryStorage: vaultSecondaryStorage({ vault }), emailAndPassword: { enabled: true } });
 * ```
 */
export function vaultSecondaryStorage(options: VaultSecondaryStorageOptions): SecondaryStorage {
  const { vault } = options;
  const prefix = options.prefix ?? "better-auth";
  const idOf = (key: string) => `ba-${createHash("sha256").update(`${prefix}\u0000${key}`).digest("hex")}`;
  return {
    async get(key) {
      const found = await vault.getSession<Stored>(idOf(key));
      return typeof found?.data.v === "string" && !found.data.taken ? found.data.v : null;
    },
    async set(key, value, ttl) {
      const finaltime = ttl && ttl > 0 ? Math.ceil(Date.now() / 1000 + ttl) : undefined;
      await vault.upsertSession(idOf(key), { v: value }, finaltime === undefined ? {} : { finaltime });
    },
    async delete(key) {
      await vault.deleteSession(idOf(key));
    },
    async getAndDelete(key) {
      const id = idOf(key);
      const found = await vault.getSession<Stored>(id);
      if (typeof found?.data.v !== "string" || found.data.taken) return null;
      try {
        // Compare-and-set on the record's version: only one caller can mark it taken.
        await vault.upsertSession(id, { ...found.data, taken: true }, { expectversion: found.version });
      } catch (error) {
        if (error instanceof VaultConflictError) return null;
        throw error;
      }
      await vault.deleteSession(id);
      return found.data.v;
    },
    async increment(key, ttl) {
      const id = idOf(key);
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        const found = await vault.getSession<Stored>(id);
        const current = found && !found.data.taken ? Number(found.data.v) || 0 : 0;
        try {
          if (found) await vault.upsertSession(id, { v: String(current + 1) }, { expectversion: found.version });
          else
            await vault.upsertSession(
              id,
              { v: "1" },
              { expectversion: 0, finaltime: Math.ceil(Date.now() / 1000 + Math.max(1, ttl)) },
            );
          return current + 1;
        } catch (error) {
          if (!(error instanceof VaultConflictError)) throw error;
        }
      }
      throw new Error(`vaultSecondaryStorage.increment: too much contention after ${MAX_ATTEMPTS} attempts`);
    },
  };
}

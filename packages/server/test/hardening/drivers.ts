import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ServiceHandle, startPostgres, startRedis } from "@sessionvault/test-services";
import { createVault, type Vault, type VaultConfig } from "../../src/index.js";
import type { StorageConfig } from "../../src/storage/index.js";
import { call, type Reply } from "../storage/vault-http.js";

export type DriverName = "sqlite" | "postgres" | "redis";
export const DRIVERS: DriverName[] = ["sqlite", "postgres", "redis"];

export const TOKEN = "hardening-token-0123456789abcdef";

/** One logical vault (shared storage, master key and token) that can run several instances. */
export interface VaultGroup {
  driver: DriverName;
  storage: StorageConfig;
  /** Starts one more in-process instance on the group's storage. */
  instance(
    overrides?: Partial<VaultConfig>,
  ): Promise<{ vault: Vault; url: string; call: (op: string, body: unknown) => Promise<Reply> }>;
  close(): Promise<void>;
}

/**
 * Real storage for each driver, started once per test file: a temp SQLite file, a
 * throwaway PostgreSQL (tables under a fresh prefix per group) and Redis (a fresh key
 * prefix per group).
 */
export function driverServices() {
  let pg: ServiceHandle | null = null;
  let redis: ServiceHandle | null = null;
  const dirs: string[] = [];
  let groups = 0;
  return {
    async start(drivers: readonly DriverName[] = DRIVERS) {
      if (drivers.includes("postgres")) pg = await startPostgres();
      if (drivers.includes("redis")) redis = await startRedis();
    },
    async stop() {
      await Promise.all([pg?.stop(), redis?.stop()]);
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    },
    storageFor(driver: DriverName): StorageConfig {
      const scope = `h${process.pid}_${++groups}`;
      if (driver === "postgres") return { driver, url: pg!.url, tablePrefix: `${scope}_`, maxConnections: 8 };
      if (driver === "redis") return { driver, url: redis!.url, keyPrefix: `${scope}:` };
      const dir = mkdtempSync(join(tmpdir(), "sv-hardening-"));
      dirs.push(dir);
      return { driver, path: join(dir, "vault.db") };
    },
    group(driver: DriverName, base: Partial<VaultConfig> = {}): VaultGroup {
      const storage = this.storageFor(driver);
      const masterKey = randomBytes(32).toString("base64");
      const vaults: Vault[] = [];
      return {
        driver,
        storage,
        async instance(overrides = {}) {
          const vault = await createVault({
            storage,
            accessTokens: [{ id: "tests", token: TOKEN }],
            masterKey,
            sweepIntervalMs: 0,
            keyRefreshMs: 0,
            ...base,
            ...overrides,
          });
          vaults.push(vault);
          const url = await vault.listen(0, "127.0.0.1");
          return { vault, url, call: (op: string, body: unknown) => call(url, TOKEN, op, body) };
        },
        async close() {
          await Promise.all(vaults.map((v) => v.close().catch(() => {})));
        },
      };
    },
  };
}

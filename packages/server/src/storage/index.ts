import { createSqliteDriver, type Durability } from "./sqlite.js";
import type { StorageDriver } from "./types.js";

/**
 * Where the vault keeps its records.
 *
 * @example
 * ```ts
 * const storage: StorageConfig = { driver: "redis", url: "redis://127.0.0.1:6379/0" };
 * ```
 */
export type StorageConfig =
  | { driver: "sqlite"; path: string }
  | { driver: "postgres"; url: string; maxConnections?: number; tablePrefix?: string }
  | { driver: "redis"; url: string; keyPrefix?: string; allowEviction?: boolean };

/**
 * Builds the storage driver for a config. The PostgreSQL and Redis drivers are imported
 * only when chosen, so an embedded SQLite vault never loads `pg` or `ioredis`.
 * `durability` applies to SQLite; PostgreSQL and Redis follow their servers' settings.
 *
 * @example
 * ```ts
 * const driver = await createStorage({ driver: "sqlite", path: "./data/vault.db" });
 * await driver.init();
 * ```
 */
export async function createStorage(config: StorageConfig, durability?: Durability): Promise<StorageDriver> {
  switch (config.driver) {
    case "sqlite":
      return createSqliteDriver({ path: config.path, ...(durability ? { durability } : {}) });
    case "postgres": {
      const { createPostgresDriver } = await import("./postgres.js");
      return createPostgresDriver(config);
    }
    case "redis": {
      const { createRedisDriver } = await import("./redis.js");
      return createRedisDriver(config);
    }
    default:
      throw new Error("unknown storage driver");
  }
}

export type * from "./types.js";

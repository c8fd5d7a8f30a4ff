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
      const { createPostgresDriver } = await importDriver(() => import("./postgres.js"), "pg", "PostgreSQL");
      return createPostgresDriver(config);
    }
    case "redis": {
      const { createRedisDriver } = await importDriver(() => import("./redis.js"), "ioredis", "Redis");
      return createRedisDriver(config);
    }
    default:
      throw new Error("unknown storage driver");
  }
}

/** Thrown when a storage driver's client library is not installed beside the vault. */
export class MissingDriverError extends Error {
  override name = "MissingDriverError";
}

/**
 * Loads a driver whose client library is an optional peer dependency, so SQLite users
 * install neither `pg` nor `ioredis`; a missing one is one line that names the fix.
 */
async function importDriver<T>(load: () => Promise<T>, library: string, server: string): Promise<T> {
  try {
    return await load();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const missing =
      (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") && String(error).includes(`'${library}'`);
    if (!missing) throw error;
    throw new MissingDriverError(
      `${server} storage needs the \`${library}\` package beside @sessionvault/server: npm install ${library}`,
    );
  }
}

export type * from "./types.js";

import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { type Logger, pino } from "pino";
import { type AuditConfig, type AuditRecorder, auditedDriver, createAuditRecorder } from "./core/audit.js";
import { VaultService } from "./core/service.js";
import {
  DEFAULT_MAX_ENCRYPTIONS_PER_KEY,
  Keyring,
  type MasterKey,
  masterKeyId,
  parseMasterKeys,
} from "./crypto/keyring.js";
import { type ReencryptResult, reencryptAll } from "./crypto/reencrypt.js";
import { guardSealedWrites } from "./crypto/sealed-writes.js";
import { type AccessToken, createAuthenticator } from "./http/auth.js";
import { createHandler } from "./http/router.js";
import { createValidators } from "./http/validate.js";
import { createStorage, type StorageConfig } from "./storage/index.js";
import type { Durability } from "./storage/sqlite.js";
import type { AuditEvent, DeniedAggregate, StorageDriver } from "./storage/types.js";
import { createSweeper } from "./sweeper.js";

/**
 * Everything a vault needs. Only `storage`, `accessTokens` and `masterKey` are required.
 *
 * @example
 * ```ts
 * const config: VaultConfig = {
 *   storage: { driver: "postgres", url: process.env.SESSIONVAULT_DATABASE_URL! },
 *   accessTokens: [{ id: "web", token: process.env.VAULT_TOKEN! }],
 *   masterKey: process.env.SESSIONVAULT_MASTER_KEY!,
 *   audit: { reads: 0.01 },
 * };
 * ```
 */
export interface VaultConfig {
  /** Where records live. */
  storage: StorageConfig;
  /**
   * What an acknowledged write survives on SQLite. `"fsync"` (default): power loss
   * (`synchronous=FULL`, group commit). `"process"`: a crash or kill -9 of the vault, but
   * the last moments of writes may be lost on an OS crash or power loss
   * (`synchronous=NORMAL` in WAL mode, like Redis's `appendfsync everysec`).
   */
  durability?: Durability;
  /** Tokens accepted in `X-Bunker-Token`; each has an id for the audit log. */
  accessTokens: AccessToken[];
  /**
   * Master key(s): base64 of 32 bytes, raw 32-byte buffers, or a comma-separated list.
   * The first wraps new data keys; the others only unwrap (master key rotation).
   */
  masterKey: string | Uint8Array | (string | Uint8Array)[];
  /** The clock, unix ms. Tests pass a controllable one. */
  clock?: () => number;
  /** Largest accepted request body in bytes (default 1 MiB). */
  bodyLimit?: number;
  /** How often expired records are swept, in ms (default 60 000; 0 turns the timer off). */
  sweepIntervalMs?: number;
  /** Records removed per sweep step (default 1000). */
  sweepBatch?: number;
  /** How often the keyring picks up rotations made by other instances (default 60 000 ms). */
  keyRefreshMs?: number;
  /** Encryptions per data key before it is replaced (default 2^31). */
  maxEncryptionsPerKey?: number;
  /** Reads move a record's expiry and recency at most this often (default 1000 ms). */
  touchGranularityMs?: number;
  /** Audit trail switches, sampling and retention. */
  audit?: AuditConfig;
  /** A pino logger (default: silent). */
  logger?: Logger;
  /** Serve HTTPS with this certificate and key (PEM). */
  tls?: { cert: string | Buffer; key: string | Buffer };
  /** How long `close()` waits for in-flight requests before cutting connections (default 10 000 ms). */
  drainTimeoutMs?: number;
  /** Use this driver instead of building one from `storage` (tests, custom backends). */
  driver?: StorageDriver;
}

/**
 * A running vault.
 *
 * @example
 * ```ts
 * const vault = await createVault(config);
 * await vault.listen(3000);
 * await vault.rotateKey();
 * await vault.reencrypt();
 * process.on("SIGTERM", () => vault.close());
 * ```
 */
export interface Vault {
  /** Starts serving; resolves with the base URL. Port 0 picks a free port. */
  listen(port?: number, host?: string): Promise<string>;
  /** Stops accepting, lets in-flight requests finish, then closes storage. */
  close(): Promise<void>;
  /** New data key for new writes; older keys stay readable until retired. Returns the new key id. */
  rotateKey(): Promise<string>;
  /**
   * Re-seals every record under the active key, retires data keys nothing uses any more,
   * and re-wraps every stored key under the first master key (so older master keys can
   * then be dropped from the configuration).
   */
  reencrypt(): Promise<ReencryptResult>;
  /** Removes expired records and index entries, and audit events past retention. */
  sweep(): Promise<{ records: number; audit: number }>;
  /** Reads the audit trail (oldest first). Refused requests are in {@link Vault.readDenied}. */
  readAudit(since?: number, limit?: number): Promise<AuditEvent[]>;
  /** Reads the counted refused requests (per client network, reason and minute; oldest first). */
  readDenied(since?: number, limit?: number): Promise<DeniedAggregate[]>;
  /** Data keys and their states. */
  keys(): { id: string; state: "active" | "decrypt" | "retired"; createdAt: number }[];
  /** The request handler, for mounting in another node:http server. */
  readonly handler: (req: IncomingMessage, res: ServerResponse) => void;
  /**
   * The storage driver in use, as configured: a put through it is not re-sealed after a
   * rotation (the vault's own writes are; see `PutOptions.sealedWith`).
   */
  readonly driver: StorageDriver;
}

function toMasterKeys(input: VaultConfig["masterKey"]): MasterKey[] {
  const list = Array.isArray(input) ? input : [input];
  return list.flatMap((item) => {
    if (typeof item === "string") return parseMasterKeys(item);
    if (item.length !== 32) throw new Error("master key must be 32 bytes");
    const key = Buffer.from(item);
    return [{ id: masterKeyId(key), key }];
  });
}

/**
 * Creates a vault over the configured storage: opens the driver, loads and unwraps the
 * data keys, and builds the HTTP handler. Call `listen()` to serve.
 *
 * @example
 * ```ts
 * import { createVault } from "@sessionvault/server";
 *
 * const vault = await createVault({
 *   storage: { driver: "sqlite", path: "./data/vault.db" },
 *   accessTokens: [{ id: "app", token: process.env.VAULT_TOKEN! }],
 *   masterKey: process.env.SESSIONVAULT_MASTER_KEY!,
 * });
 * const url = await vault.listen(3000, "127.0.0.1");
 * ```
 */
export async function createVault(config: VaultConfig): Promise<Vault> {
  if (!config.accessTokens || config.accessTokens.length === 0)
    throw new Error("at least one access token is required");
  for (const t of config.accessTokens) {
    if (!t.id || !t.token) throw new Error("every access token needs an id and a token");
  }
  const masters = toMasterKeys(config.masterKey);
  const now = config.clock ?? Date.now;
  const logger = config.logger ?? pino({ level: "silent" });
  const rawDriver = config.driver ?? (await createStorage(config.storage, config.durability));
  await rawDriver.init();
  const keyring = new Keyring(rawDriver, {
    masters,
    now,
    maxEncryptionsPerKey: config.maxEncryptionsPerKey ?? DEFAULT_MAX_ENCRYPTIONS_PER_KEY,
  });
  try {
    await keyring.init();
  } catch (error) {
    await rawDriver.close().catch(() => {});
    throw error;
  }
  // Every sealed write is stored only while its key is active; a write refused by a
  // rotation is sealed again under the new key, so nothing lands under a key being retired.
  let resealed = 0;
  const driver = guardSealedWrites(rawDriver, keyring, (key) => {
    resealed++;
    logger.info({ key, resealed }, "re-sealed a write under the new data key after a rotation");
  });
  // The operations write through this: a write they apply carries its audit event.
  const audit: AuditRecorder = createAuditRecorder(driver, config.audit ?? {}, now, logger);
  const operationsDriver = auditedDriver(driver, (key) => service.keys.auditTarget(key), audit.maxEvents, now);
  const service = new VaultService(operationsDriver, keyring, {
    now,
    touchGranularityMs: config.touchGranularityMs ?? 1000,
    onUnreadable: (kind) => logger.error({ kind }, "skipped a record that failed its integrity check"),
  });
  const validators = createValidators();
  let draining = false;
  let inFlight = 0;
  let idle: (() => void) | null = null;

  const inner = createHandler({
    service,
    validators,
    authenticate: createAuthenticator(config.accessTokens),
    audit,
    logger,
    bodyLimit: config.bodyLimit ?? 1024 * 1024,
    draining: () => draining,
    ready: async () => {
      try {
        await driver.ping();
        return true;
      } catch {
        return false;
      }
    },
  });
  // One listener shared by every response: no closure per request.
  const settled = () => {
    inFlight--;
    if (inFlight === 0) idle?.();
  };
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    inFlight++;
    res.on("close", settled);
    inner(req, res);
  };

  let server: Server | null = null;
  const timers: NodeJS.Timeout[] = [];
  const sweeper = createSweeper({
    driver,
    now,
    batch: config.sweepBatch ?? 1000,
    intervalMs: config.sweepIntervalMs ?? 60_000,
    auditRetentionMs: audit.retentionMs,
    logger,
  });
  const keyRefresh = config.keyRefreshMs ?? 60_000;
  if (keyRefresh > 0) {
    const timer = setInterval(() => {
      keyring
        .refresh()
        .catch((error: unknown) => logger.warn({ err: { type: (error as Error)?.name } }, "key refresh failed"));
    }, keyRefresh);
    timer.unref();
    timers.push(timer);
  }

  return {
    handler,
    driver: rawDriver,
    listen(port = 0, host = "127.0.0.1") {
      return new Promise<string>((resolve, reject) => {
        server = config.tls
          ? createHttpsServer({ cert: config.tls.cert, key: config.tls.key }, handler)
          : createHttpServer(handler);
        server.keepAliveTimeout = 65_000;
        server.once("error", reject);
        server.listen(port, host, () => {
          const address = server!.address() as AddressInfo;
          const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
          resolve(`${config.tls ? "https" : "http"}://${shownHost}:${address.port}`);
        });
      });
    },
    async close() {
      draining = true;
      sweeper.stop();
      for (const timer of timers) clearInterval(timer);
      if (server) {
        const closed = new Promise<void>((resolve) => server!.close(() => resolve()));
        server.closeIdleConnections();
        if (inFlight > 0) {
          // A client that never finishes its request must not hold the shutdown forever.
          let timer: NodeJS.Timeout | undefined;
          await Promise.race([
            new Promise<void>((resolve) => (idle = resolve)),
            new Promise<void>((resolve) => (timer = setTimeout(resolve, config.drainTimeoutMs ?? 10_000))),
          ]);
          clearTimeout(timer);
        }
        server.closeAllConnections();
        await closed;
      }
      await audit.flush();
      await keyring.close().catch((error: unknown) => {
        logger.warn({ err: { type: (error as Error)?.name } }, "could not demote the data key");
      });
      await rawDriver.close();
    },
    rotateKey: () => keyring.rotate(),
    reencrypt: () => reencryptAll(driver, keyring, now, logger),
    sweep: () => sweeper.sweep(),
    readAudit: async (since = 0, limit = 1000) => {
      await audit.flush();
      return driver.readAudit(since, limit);
    },
    readDenied: async (since = 0, limit = 1000) => {
      await audit.flush();
      return driver.readDenied(since, limit);
    },
    keys: () => keyring.describe(),
  };
}

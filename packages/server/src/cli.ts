import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { isIP } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { pino } from "pino";
import { isWeakKey, isWeakToken, jsonErrorLine } from "./config-checks.js";
import { parseMasterKeys } from "./crypto/keyring.js";
import type { AccessToken } from "./http/auth.js";
import type { StorageConfig } from "./storage/index.js";
import type { Durability } from "./storage/sqlite.js";
import { createVault, type VaultConfig } from "./vault.js";

const USAGE = `Usage:
  sessionvault dev   [--port N] [--host H] [--data-dir DIR] [--durability fsync|process]
  sessionvault start [--config FILE] [--port N] [--host H] [--storage sqlite|postgres|redis]
                     [--sqlite-path FILE] [--database-url URL] [--redis-url URL]
                     [--tls-cert FILE --tls-key FILE] [--durability fsync|process]
  sessionvault rotate-key   [same options as start]   new data key for new writes
  sessionvault reencrypt    [same options as start]   re-seal old records, retire unused keys

Environment: SESSIONVAULT_STORAGE, SESSIONVAULT_SQLITE_PATH, SESSIONVAULT_DATABASE_URL,
SESSIONVAULT_REDIS_URL, SESSIONVAULT_ACCESS_TOKENS (id:token,...), SESSIONVAULT_MASTER_KEY
or SESSIONVAULT_MASTER_KEY_FILE, SESSIONVAULT_PORT, SESSIONVAULT_HOST,
SESSIONVAULT_ALLOW_INSECURE_PUBLIC_HTTP=1, SESSIONVAULT_REDIS_ALLOW_EVICTION=1, SESSIONVAULT_LOG_LEVEL (info),
SESSIONVAULT_DURABILITY (fsync: acknowledged writes survive power loss, the default;
process: they survive a crash of the vault process, not of the OS; SQLite only).
`;

const DEMO_TOKEN = "DEMO";

class ConfigError extends Error {}

// Synchronous so the listening line and the last lines before exit are never lost.
const logger = pino(
  { base: { pid: process.pid }, level: process.env.SESSIONVAULT_LOG_LEVEL ?? "info" },
  pino.destination({ dest: 1, sync: true }),
);

function isLoopback(host: string): boolean {
  if (host === "localhost") return true;
  if (isIP(host) === 4) return host.startsWith("127.");
  return host === "::1" || host === "[::1]";
}

function parseTokens(text: string): AccessToken[] {
  return text
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const colon = entry.indexOf(":");
      if (colon <= 0 || colon === entry.length - 1)
        throw new ConfigError("SESSIONVAULT_ACCESS_TOKENS must look like id:token,id2:token2");
      return { id: entry.slice(0, colon), token: entry.slice(colon + 1) };
    });
}

interface FileConfig {
  storage?: StorageConfig;
  accessTokens?: AccessToken[];
  masterKey?: string;
  masterKeyFile?: string;
  port?: number;
  host?: string;
  tls?: { cert: string; key: string };
  bodyLimit?: number;
  sweepIntervalMs?: number;
  audit?: VaultConfig["audit"];
  durability?: Durability;
}

const startOptions = {
  config: { type: "string" },
  port: { type: "string" },
  host: { type: "string" },
  storage: { type: "string" },
  "sqlite-path": { type: "string" },
  "database-url": { type: "string" },
  "redis-url": { type: "string" },
  "tls-cert": { type: "string" },
  "tls-key": { type: "string" },
  "data-dir": { type: "string" },
  durability: { type: "string" },
  help: { type: "boolean" },
} as const;

function parsePort(value: string | number | undefined, fallback: number): number {
  if (value === undefined || value === "") return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new ConfigError("port must be an integer from 0 to 65535");
  return port;
}

/** Builds the production config from flags > env > file and refuses weak settings. */
function productionConfig(values: Record<string, string | boolean | undefined>, env: NodeJS.ProcessEnv) {
  const flag = (name: string) => values[name] as string | undefined;
  const file: FileConfig = flag("config") ? readConfigFile(flag("config")!) : {};

  const driver = flag("storage") ?? env.SESSIONVAULT_STORAGE ?? file.storage?.driver ?? "sqlite";
  let storage: StorageConfig;
  if (driver === "sqlite") {
    const path =
      flag("sqlite-path") ??
      env.SESSIONVAULT_SQLITE_PATH ??
      (file.storage?.driver === "sqlite" ? file.storage.path : undefined) ??
      "./data/sessionvault.db";
    storage = { driver: "sqlite", path };
  } else if (driver === "postgres") {
    const url =
      flag("database-url") ??
      env.SESSIONVAULT_DATABASE_URL ??
      (file.storage?.driver === "postgres" ? file.storage.url : undefined);
    if (!url) throw new ConfigError("postgres storage needs SESSIONVAULT_DATABASE_URL or --database-url");
    storage = { driver: "postgres", url };
  } else if (driver === "redis") {
    const url =
      flag("redis-url") ??
      env.SESSIONVAULT_REDIS_URL ??
      (file.storage?.driver === "redis" ? file.storage.url : undefined);
    if (!url) throw new ConfigError("redis storage needs SESSIONVAULT_REDIS_URL or --redis-url");
    // Opt-out of the noeviction check, for a Redis whose memory can never fill.
    storage = {
      driver: "redis",
      url,
      ...(env.SESSIONVAULT_REDIS_ALLOW_EVICTION === "1" ? { allowEviction: true } : {}),
    };
  } else {
    throw new ConfigError("storage must be sqlite, postgres or redis");
  }

  const accessTokens = env.SESSIONVAULT_ACCESS_TOKENS
    ? parseTokens(env.SESSIONVAULT_ACCESS_TOKENS)
    : (file.accessTokens ?? []);
  if (accessTokens.length === 0) throw new ConfigError("no access tokens: set SESSIONVAULT_ACCESS_TOKENS=id:token");
  for (const t of accessTokens) {
    if (t.token === DEMO_TOKEN) throw new ConfigError(`access token "${t.id}" is the demo token; refusing to start`);
    if (t.token.length < 16)
      throw new ConfigError(`access token "${t.id}" is shorter than 16 characters; refusing to start`);
    if (isWeakToken(t.token)) {
      throw new ConfigError(`access token "${t.id}" is too easy to guess (low entropy); use a random one`);
    }
  }

  const keyFile = env.SESSIONVAULT_MASTER_KEY_FILE ?? file.masterKeyFile;
  const masterKey =
    env.SESSIONVAULT_MASTER_KEY ?? file.masterKey ?? (keyFile ? readFileSync(keyFile, "utf8").trim() : undefined);
  if (!masterKey) throw new ConfigError("no master key: set SESSIONVAULT_MASTER_KEY or SESSIONVAULT_MASTER_KEY_FILE");
  let masters: ReturnType<typeof parseMasterKeys>;
  try {
    masters = parseMasterKeys(masterKey);
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
  if (masters.some((m) => isWeakKey(m.key))) {
    throw new ConfigError(
      "master key is not random (all zero or a repeated pattern); generate one with `openssl rand -base64 32`",
    );
  }

  const host = flag("host") ?? env.SESSIONVAULT_HOST ?? file.host ?? "127.0.0.1";
  const port = parsePort(flag("port") ?? env.SESSIONVAULT_PORT ?? file.port, 3000);
  const certPath = flag("tls-cert") ?? file.tls?.cert;
  const keyPath = flag("tls-key") ?? file.tls?.key;
  if ((certPath === undefined) !== (keyPath === undefined))
    throw new ConfigError("--tls-cert and --tls-key go together");
  const tls = certPath && keyPath ? { cert: readFileSync(certPath), key: readFileSync(keyPath) } : undefined;
  if (!tls && !isLoopback(host) && env.SESSIONVAULT_ALLOW_INSECURE_PUBLIC_HTTP !== "1") {
    throw new ConfigError(
      `refusing plain HTTP on ${host}: pass --tls-cert/--tls-key, bind 127.0.0.1, or set SESSIONVAULT_ALLOW_INSECURE_PUBLIC_HTTP=1 behind a TLS proxy`,
    );
  }
  const durability = parseDurability(flag("durability") ?? env.SESSIONVAULT_DURABILITY ?? file.durability);
  const config: VaultConfig = {
    storage,
    durability,
    accessTokens,
    masterKey,
    logger,
    ...(tls ? { tls } : {}),
    ...(file.bodyLimit ? { bodyLimit: file.bodyLimit } : {}),
    ...(file.sweepIntervalMs !== undefined ? { sweepIntervalMs: file.sweepIntervalMs } : {}),
    ...(file.audit ? { audit: file.audit } : {}),
  };
  return { config, host, port };
}

/** A JSON config file; a syntax error names the file and line, never the text around it. */
function readConfigFile(path: string): FileConfig {
  const text = readFileSync(path, "utf8");
  const line = jsonErrorLine(text);
  if (line !== null) throw new ConfigError(`config file ${path}: not valid JSON at line ${line}`);
  return JSON.parse(text) as FileConfig;
}

function parseDurability(value: string | undefined): Durability {
  if (value === undefined || value === "") return "fsync";
  if (value !== "fsync" && value !== "process") throw new ConfigError('durability must be "fsync" or "process"');
  return value;
}

function devConfig(values: Record<string, string | boolean | undefined>) {
  const dataDir = (values["data-dir"] as string | undefined) ?? mkdtempSync(join(tmpdir(), "sessionvault-dev-"));
  mkdirSync(dataDir, { recursive: true });
  const keyPath = join(dataDir, "master.key");
  if (!existsSync(keyPath)) writeFileSync(keyPath, randomBytes(32).toString("base64"), { mode: 0o600 });
  const config: VaultConfig = {
    storage: { driver: "sqlite", path: join(dataDir, "vault.db") },
    durability: parseDurability((values.durability as string | undefined) ?? process.env.SESSIONVAULT_DURABILITY),
    accessTokens: [{ id: "demo", token: DEMO_TOKEN }],
    masterKey: readFileSync(keyPath, "utf8").trim(),
    logger,
  };
  const host = (values.host as string | undefined) ?? "127.0.0.1";
  if (!isLoopback(host)) throw new ConfigError("sessionvault dev only binds a loopback address");
  return { config, host, port: parsePort(values.port as string | undefined, 3000), dataDir };
}

async function serve(config: VaultConfig, host: string, port: number): Promise<void> {
  const vault = await createVault(config);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) process.exit(1);
    stopping = true;
    logger.info({ signal }, "draining");
    vault.close().then(
      () => {
        logger.info("stopped");
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: { type: (error as Error)?.name } }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  // Installed before the listening line goes out, so a signal sent right after it is handled.
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
  const url = await vault.listen(port, host);
  logger.info(
    {
      url,
      storage: config.storage.driver,
      ...(config.storage.driver === "sqlite" ? { durability: config.durability ?? "fsync" } : {}),
    },
    "listening",
  );
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === "--help" || command === "help") {
    process.stdout.write(USAGE);
    return command ? 0 : 1;
  }
  const { values } = parseArgs({ args: rest, options: startOptions, strict: true });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  switch (command) {
    case "dev": {
      const { config, host, port, dataDir } = devConfig(values);
      process.stderr.write(
        [
          "",
          "  ****************************************************************",
          "  *  sessionvault dev: a THROWAWAY vault for development only.   *",
          "  *  Demo access token: DEMO    (anyone who can reach it is in)  *",
          "  *  Master key generated into the data folder; data is not safe.*",
          "  *  Use `sessionvault start` in production.                     *",
          "  ****************************************************************",
          `  data folder: ${dataDir}`,
          "",
        ].join("\n"),
      );
      await serve(config, host, port);
      return -1;
    }
    case "start": {
      const { config, host, port } = productionConfig(values, process.env);
      await serve(config, host, port);
      return -1;
    }
    case "rotate-key":
    case "reencrypt": {
      const { config } = productionConfig(values, process.env);
      const vault = await createVault({ ...config, sweepIntervalMs: 0, keyRefreshMs: 0 });
      try {
        if (command === "rotate-key") logger.info({ key: await vault.rotateKey() }, "rotated data key");
        else logger.info(await vault.reencrypt(), "re-encrypted");
      } finally {
        await vault.close();
      }
      return 0;
    }
    default:
      process.stderr.write(`unknown command: ${command}\n${USAGE}`);
      return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (error: unknown) => {
    if (error instanceof ConfigError || (error as { code?: string })?.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
      process.stderr.write(`sessionvault: ${(error as Error).message}\n`);
    } else {
      logger.fatal({ err: { type: (error as Error)?.name, message: safeMessage(error) } }, "failed to start");
    }
    process.exit(1);
  },
);

/** Startup errors (bad key, unreachable database) carry no request data; drop anything URL-like. */
function safeMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : "unknown error";
  return message.replace(/[a-z]+:\/\/\S+/gi, "<url>");
}

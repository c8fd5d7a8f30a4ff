import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { isIP } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { type Logger, pino } from "pino";
import { isWeakKey, isWeakToken, jsonErrorLine } from "./config-checks.js";
import { parseMasterKeys } from "./crypto/keyring.js";
import type { AccessToken } from "./http/auth.js";
import type { StorageConfig } from "./storage/index.js";
import type { Durability } from "./storage/sqlite.js";
import { createVault, type VaultConfig } from "./vault.js";

/** Where a vault listens unless told otherwise: clear of Next.js's and most dev servers' 3000. */
const DEFAULT_PORT = 4700;

const USAGE = `Usage:
  sessionvault dev   [--port N] [--host H] [--data-dir DIR] [--durability fsync|process] [--log-format text|json]
  sessionvault start [--config FILE] [--port N] [--host H] [--storage sqlite|postgres|redis]
                     [--sqlite-path FILE] [--database-url URL] [--redis-url URL]
                     [--tls-cert FILE --tls-key FILE] [--durability fsync|process] [--log-format json|text]
                     [--audit-max-events N] [--audit-max-denied N]
  sessionvault rotate-key   [same options as start]   new data key for new writes
  sessionvault reencrypt    [same options as start]   re-seal old records, retire unused keys

Environment: SESSIONVAULT_STORAGE, SESSIONVAULT_SQLITE_PATH, SESSIONVAULT_DATABASE_URL,
SESSIONVAULT_REDIS_URL, SESSIONVAULT_ACCESS_TOKENS (id:token,...), SESSIONVAULT_MASTER_KEY
or SESSIONVAULT_MASTER_KEY_FILE, SESSIONVAULT_PORT, SESSIONVAULT_HOST,
SESSIONVAULT_ALLOW_INSECURE_PUBLIC_HTTP=1, SESSIONVAULT_REDIS_ALLOW_EVICTION=1, SESSIONVAULT_LOG_LEVEL (info),
SESSIONVAULT_DURABILITY (fsync: acknowledged writes survive power loss, the default;
process: they survive a crash of the vault process, not of the OS; SQLite only),
SESSIONVAULT_LOG_FORMAT (json under start, text under dev),
SESSIONVAULT_AUDIT_MAX_EVENTS (1000000) and SESSIONVAULT_AUDIT_MAX_DENIED (10000): the audit's caps.
The default port is ${DEFAULT_PORT} (Next.js and most dev servers take 3000).
`;

const DEMO_TOKEN = "DEMO";

/** A refusal to start: one or more lines, each saying what is wrong and how to fix it. */
class ConfigError extends Error {}

/** Collects every refusal of a config, so one run reports them all. */
class Problems {
  readonly lines: string[] = [];
  add(line: string): void {
    this.lines.push(line);
  }
  throwIfAny(): void {
    if (this.lines.length) throw new ConfigError(this.lines.join("\n"));
  }
}

const LEVEL_NAMES: Record<number, string> = {
  10: "trace",
  20: "debug",
  30: "info",
  40: "warn",
  50: "error",
  60: "fatal",
};

/**
 * Log lines for a person at a terminal: `HH:MM:SS level message key=value`. The fields are
 * the same ones the JSON lines carry (never request data), so nothing new is revealed.
 */
function textDestination(): { write(line: string): void } {
  return {
    write(line: string) {
      const { level, time, msg, pid: _pid, hostname: _host, ...fields } = JSON.parse(line) as Record<string, unknown>;
      const clock = new Date(Number(time)).toISOString().slice(11, 19);
      const extras = Object.entries(fields)
        .map(([key, value]) => `${key}=${typeof value === "string" ? value : JSON.stringify(value)}`)
        .join(" ");
      process.stdout.write(
        `${clock} ${LEVEL_NAMES[Number(level)] ?? level} ${msg ?? ""}${extras ? ` ${extras}` : ""}\n`,
      );
    },
  };
}

/** Structured JSON (the default under `start`) or text lines (the default under `dev`). */
function createLogger(format: string): Logger {
  const level = process.env.SESSIONVAULT_LOG_LEVEL ?? "info";
  // Synchronous so the listening line and the last lines before exit are never lost.
  if (format === "text") return pino({ base: { pid: process.pid }, level }, textDestination());
  return pino({ base: { pid: process.pid }, level }, pino.destination({ dest: 1, sync: true }));
}

let logger: Logger = createLogger(process.env.SESSIONVAULT_LOG_FORMAT ?? "json");

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
  "log-format": { type: "string" },
  "audit-max-events": { type: "string" },
  "audit-max-denied": { type: "string" },
  help: { type: "boolean" },
} as const;

/** An audit cap from a flag, the environment or the file: a positive integer, or the default. */
function parseAuditCap(value: string | number | undefined, name: string, problems: Problems): number | undefined {
  if (value === undefined || value === "") return undefined;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) {
    problems.add(`--${name} must be a positive integer`);
    return undefined;
  }
  return n;
}

function parsePort(value: string | number | undefined, problems: Problems): number {
  if (value === undefined || value === "") return DEFAULT_PORT;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    problems.add("--port must be an integer from 0 to 65535 (0 picks a free port)");
    return DEFAULT_PORT;
  }
  return port;
}

function readKeyFile(path: string, problems: Problems): string | undefined {
  try {
    return readFileSync(path, "utf8").trim();
  } catch (error) {
    problems.add(`cannot read the master key file ${path} (${(error as NodeJS.ErrnoException).code ?? "error"})`);
    return undefined;
  }
}

function checkMasterKey(masterKey: string, problems: Problems): void {
  try {
    if (parseMasterKeys(masterKey).some((m) => isWeakKey(m.key))) {
      problems.add(
        "the master key is not random (all zero or a repeated pattern): create one with `openssl rand -base64 32`",
      );
    }
  } catch {
    problems.add(
      "the master key must be 32 random bytes in base64 (44 characters): create one with `openssl rand -base64 32` or `node -e \"console.log(crypto.randomBytes(32).toString('base64'))\"`",
    );
  }
}

/** Builds the production config from flags > env > file and refuses weak settings, all at once. */
function productionConfig(values: Record<string, string | boolean | undefined>, env: NodeJS.ProcessEnv) {
  const problems = new Problems();
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
    if (!url)
      problems.add("postgres storage needs a connection URL: set SESSIONVAULT_DATABASE_URL or pass --database-url");
    storage = { driver: "postgres", url: url ?? "" };
  } else if (driver === "redis") {
    const url =
      flag("redis-url") ??
      env.SESSIONVAULT_REDIS_URL ??
      (file.storage?.driver === "redis" ? file.storage.url : undefined);
    if (!url) problems.add("redis storage needs a connection URL: set SESSIONVAULT_REDIS_URL or pass --redis-url");
    // Opt-out of the noeviction check, for a Redis whose memory can never fill.
    storage = {
      driver: "redis",
      url: url ?? "",
      ...(env.SESSIONVAULT_REDIS_ALLOW_EVICTION === "1" ? { allowEviction: true } : {}),
    };
  } else {
    problems.add(`--storage must be sqlite, postgres or redis (got "${driver}")`);
    storage = { driver: "sqlite", path: "" };
  }

  let accessTokens: AccessToken[] = [];
  try {
    accessTokens = env.SESSIONVAULT_ACCESS_TOKENS
      ? parseTokens(env.SESSIONVAULT_ACCESS_TOKENS)
      : (file.accessTokens ?? []);
  } catch (error) {
    problems.add((error as Error).message);
  }
  if (accessTokens.length === 0 && !env.SESSIONVAULT_ACCESS_TOKENS)
    problems.add("no access tokens: set SESSIONVAULT_ACCESS_TOKENS=id:token (a token of 16+ random characters)");
  for (const t of accessTokens) {
    if (t.token === DEMO_TOKEN)
      problems.add(`access token "${t.id}" is the demo token: choose a random one of 16+ characters`);
    else if (t.token.length < 16)
      problems.add(`access token "${t.id}" is shorter than 16 characters: choose a random one of 16+ characters`);
    else if (isWeakToken(t.token))
      problems.add(`access token "${t.id}" is too easy to guess (low entropy): use a random one of 16+ characters`);
  }

  const keyFile = env.SESSIONVAULT_MASTER_KEY_FILE ?? file.masterKeyFile;
  const masterKey =
    env.SESSIONVAULT_MASTER_KEY ?? file.masterKey ?? (keyFile ? readKeyFile(keyFile, problems) : undefined);
  if (!masterKey)
    problems.add(
      "no master key: set SESSIONVAULT_MASTER_KEY or SESSIONVAULT_MASTER_KEY_FILE (create one with `openssl rand -base64 32`)",
    );
  else checkMasterKey(masterKey, problems);

  const host = flag("host") ?? env.SESSIONVAULT_HOST ?? file.host ?? "127.0.0.1";
  const port = parsePort(flag("port") ?? env.SESSIONVAULT_PORT ?? file.port, problems);
  const certPath = flag("tls-cert") ?? file.tls?.cert;
  const keyPath = flag("tls-key") ?? file.tls?.key;
  if ((certPath === undefined) !== (keyPath === undefined)) problems.add("--tls-cert and --tls-key go together");
  const tls = certPath && keyPath ? { cert: readFileSync(certPath), key: readFileSync(keyPath) } : undefined;
  if (!tls && !isLoopback(host) && env.SESSIONVAULT_ALLOW_INSECURE_PUBLIC_HTTP !== "1") {
    problems.add(
      `refusing plain HTTP on ${host}: pass --tls-cert/--tls-key, bind 127.0.0.1, or set SESSIONVAULT_ALLOW_INSECURE_PUBLIC_HTTP=1 behind a TLS proxy`,
    );
  }
  const durability = parseDurability(flag("durability") ?? env.SESSIONVAULT_DURABILITY ?? file.durability, problems);
  const maxEvents = parseAuditCap(
    flag("audit-max-events") ?? env.SESSIONVAULT_AUDIT_MAX_EVENTS ?? file.audit?.maxEvents,
    "audit-max-events",
    problems,
  );
  const maxDenied = parseAuditCap(
    flag("audit-max-denied") ?? env.SESSIONVAULT_AUDIT_MAX_DENIED ?? file.audit?.maxDenied,
    "audit-max-denied",
    problems,
  );
  const audit: VaultConfig["audit"] = {
    ...file.audit,
    ...(maxEvents !== undefined ? { maxEvents } : {}),
    ...(maxDenied !== undefined ? { maxDenied } : {}),
  };
  problems.throwIfAny();
  const config: VaultConfig = {
    storage,
    durability,
    accessTokens,
    masterKey: masterKey ?? "",
    logger,
    ...(tls ? { tls } : {}),
    ...(file.bodyLimit ? { bodyLimit: file.bodyLimit } : {}),
    ...(file.sweepIntervalMs !== undefined ? { sweepIntervalMs: file.sweepIntervalMs } : {}),
    ...(Object.keys(audit).length > 0 ? { audit } : {}),
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

function parseDurability(value: string | undefined, problems: Problems): Durability {
  if (value === undefined || value === "") return "fsync";
  if (value !== "fsync" && value !== "process") {
    problems.add('--durability must be "fsync" (survives power loss) or "process" (survives a crash of the vault)');
    return "fsync";
  }
  return value;
}

function devConfig(values: Record<string, string | boolean | undefined>) {
  const problems = new Problems();
  const durability = parseDurability(
    (values.durability as string | undefined) ?? process.env.SESSIONVAULT_DURABILITY,
    problems,
  );
  const host = (values.host as string | undefined) ?? "127.0.0.1";
  if (!isLoopback(host)) problems.add("sessionvault dev only binds a loopback address (127.0.0.1, ::1 or localhost)");
  const port = parsePort(values.port as string | undefined, problems);
  problems.throwIfAny();
  const chosenDir = values["data-dir"] as string | undefined;
  // A folder it made itself is removed on exit; one the user named is kept.
  const throwaway = chosenDir === undefined;
  const dataDir = chosenDir ?? mkdtempSync(join(tmpdir(), "sessionvault-dev-"));
  mkdirSync(dataDir, { recursive: true });
  const keyPath = join(dataDir, "master.key");
  if (!existsSync(keyPath)) writeFileSync(keyPath, randomBytes(32).toString("base64"), { mode: 0o600 });
  const config: VaultConfig = {
    storage: { driver: "sqlite", path: join(dataDir, "vault.db") },
    durability,
    accessTokens: [{ id: "demo", token: DEMO_TOKEN }],
    masterKey: readFileSync(keyPath, "utf8").trim(),
    logger,
  };
  return { config, host, port, dataDir, throwaway };
}

/** What a developer needs, in plain words: where the vault is and what to paste into the app. */
function devBanner(url: string, dataDir: string, throwaway: boolean): string {
  return [
    "",
    "  sessionvault dev: a THROWAWAY vault for development only",
    "",
    `  URL:    ${url}`,
    `  token:  ${DEMO_TOKEN}   (the demo token: anyone who can reach this port is in)`,
    `  data:   ${dataDir}${throwaway ? "   (removed when this vault stops)" : "   (kept: you chose this folder)"}`,
    "",
    "  Put these lines in your app's environment (.env, .env.local):",
    "",
    `    SESSIONVAULT_URL=${url}`,
    `    SESSIONVAULT_TOKEN=${DEMO_TOKEN}`,
    "",
    "  The master key is generated into the data folder: nothing here is safe to keep.",
    "  In production use `sessionvault start` with a real key and token. Ctrl-C stops it.",
    "",
    "",
  ].join("\n");
}

async function serve(
  config: VaultConfig,
  host: string,
  port: number,
  hooks: { listening?(url: string): void; stopped?(): void } = {},
): Promise<void> {
  const vault = await createVault(config);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) process.exit(1);
    stopping = true;
    logger.info({ signal }, "draining");
    vault.close().then(
      () => {
        logger.info("stopped");
        hooks.stopped?.();
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
  hooks.listening?.(url);
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
  // Chosen before any config is built: the configs carry this logger to the vault.
  const format = (values["log-format"] as string | undefined) ?? process.env.SESSIONVAULT_LOG_FORMAT;
  if (format !== undefined && format !== "json" && format !== "text")
    throw new ConfigError('--log-format must be "json" (for log collectors) or "text" (for people)');
  logger = createLogger(format ?? (command === "dev" ? "text" : "json"));
  switch (command) {
    case "dev": {
      const { config, host, port, dataDir, throwaway } = devConfig(values);
      await serve(config, host, port, {
        listening: (url) => process.stdout.write(devBanner(url, dataDir, throwaway)),
        stopped: () => {
          if (throwaway) rmSync(dataDir, { recursive: true, force: true });
        },
      });
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
    if (error instanceof ConfigError || String((error as { code?: string })?.code).startsWith("ERR_PARSE_ARGS")) {
      const lines = (error as Error).message.split("\n");
      process.stderr.write(`${lines.map((line) => `sessionvault: ${line}`).join("\n")}\n`);
    } else if ((error as NodeJS.ErrnoException)?.code === "EADDRINUSE") {
      process.stderr.write(
        "sessionvault: the port is already in use: pass --port N (or --port 0 for a free one), or stop what holds it\n",
      );
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

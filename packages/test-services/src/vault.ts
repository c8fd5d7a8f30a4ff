import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Options for {@link startVault}.
 *
 * @example
 * ```ts
 * const pg = await startPostgres();
 * const vault = await startVault({ driver: "postgres", env: { SESSIONVAULT_DATABASE_URL: pg.url } });
 * ```
 */
export interface StartVaultOptions {
  /**
   * Storage driver. Without a driver and without `env` the vault runs as
   * `sessionvault dev` (demo token); otherwise as `sessionvault start` with a random
   * token and master key. PostgreSQL and Redis need `SESSIONVAULT_DATABASE_URL` /
   * `SESSIONVAULT_REDIS_URL` in `env` (see `startPostgres()` / `startRedis()`).
   */
  driver?: "sqlite" | "postgres" | "redis";
  /** Extra environment for `sessionvault start` (overrides the generated defaults). */
  env?: Record<string, string>;
  /** Data folder (SQLite file, dev master key); a fresh temp folder by default. */
  dataDir?: string;
  /** Port to bind; 0 (default) picks a free one. */
  port?: number;
  /** Tenant name handed back for tests that use `X-Bunker-Tenant`. */
  tenant?: string;
  /** How long to wait for the listening line (default 20 s). */
  startTimeoutMs?: number;
}

/**
 * A vault running as a child process.
 *
 * @example
 * ```ts
 * const vault: RunningVault = await startVault();
 * vault.kill(); // crash it
 * await vault.restart(); // same port, same data
 * await vault.destroy();
 * ```
 */
export interface RunningVault {
  /** Base URL, e.g. `http://127.0.0.1:43123`. Stays the same across `restart()`. */
  url: string;
  /** Access token for `X-Bunker-Token`. */
  token: string;
  /** The tenant passed in the options, if any. */
  tenant?: string;
  /** Data folder of this vault. */
  dataDir: string;
  /** Everything the process wrote to stdout and stderr so far (all runs). */
  logs(): string;
  /** Process id of the current run. */
  readonly pid: number | undefined;
  /** SIGTERM, then waits for a clean exit; resolves with the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL: no draining, no flushing (crash tests). */
  kill(): void;
  /** Starts the vault again on the same port with the same data and keys. */
  restart(): Promise<void>;
  /** Stops the vault and deletes its data folder. */
  destroy(): Promise<void>;
}

/**
 * A file of the workspace's server package, e.g. `dist/cli.js`. Found by path, not by
 * package name: the server's own tests use this package, so it cannot depend on the server.
 */
export function serverFile(file: string): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, "pnpm-workspace.yaml"))) return join(dir, "packages", "server", file);
  }
  throw new Error("not inside the sessionvault workspace, so there is no server to start");
}

const cliPath = (): string => serverFile(join("dist", "cli.js"));

/**
 * Starts the real `sessionvault` CLI as a child process on a free port and waits until it
 * listens.
 *
 * @example
 * ```ts
 * const vault = await startVault();
 * const client = createVaultClient({ baseUrl: vault.url, token: vault.token });
 * // ...
 * await vault.destroy();
 * ```
 */
export async function startVault(options: StartVaultOptions = {}): Promise<RunningVault> {
  const ownsDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "sessionvault-test-"));
  const dev = options.driver === undefined && options.env === undefined;
  const token = dev
    ? "DEMO"
    : (options.env?.SESSIONVAULT_ACCESS_TOKENS?.split(",")[0]?.split(":")[1] ?? randomBytes(24).toString("base64url"));
  const env: Record<string, string> = dev
    ? {}
    : {
        SESSIONVAULT_STORAGE: options.driver ?? "sqlite",
        SESSIONVAULT_SQLITE_PATH: join(dataDir, "vault.db"),
        SESSIONVAULT_ACCESS_TOKENS: `test:${token}`,
        SESSIONVAULT_MASTER_KEY: randomBytes(32).toString("base64"),
        SESSIONVAULT_HOST: "127.0.0.1",
        ...options.env,
      };
  let output = "";
  let child: ChildProcess | null = null;
  let exited: Promise<number | null> = Promise.resolve(null);
  let port = options.port ?? 0;
  let url = "";

  const launch = () =>
    new Promise<string>((resolve, reject) => {
      const args = dev
        ? [
            cliPath(),
            "dev",
            "--port",
            String(port),
            "--host",
            "127.0.0.1",
            "--data-dir",
            dataDir,
            "--log-format",
            "json",
          ]
        : [cliPath(), "start", "--port", String(port)];
      const proc = spawn(process.execPath, args, {
        env: { ...process.env, ...env },
        stdio: ["ignore", "pipe", "pipe"],
      });
      child = proc;
      exited = new Promise((done) => proc.once("exit", (code) => done(code)));
      let pending = "";
      const timer = setTimeout(() => {
        proc.kill("SIGKILL");
        reject(new Error(`vault did not start within ${options.startTimeoutMs ?? 20_000} ms:\n${output}`));
      }, options.startTimeoutMs ?? 20_000);
      proc.stdout!.setEncoding("utf8");
      proc.stderr!.setEncoding("utf8");
      proc.stderr!.on("data", (chunk: string) => {
        output += chunk;
      });
      proc.stdout!.on("data", (chunk: string) => {
        output += chunk;
        pending += chunk;
        let newline = pending.indexOf("\n");
        while (newline !== -1) {
          const line = pending.slice(0, newline);
          pending = pending.slice(newline + 1);
          newline = pending.indexOf("\n");
          try {
            const parsed = JSON.parse(line) as { msg?: string; url?: string };
            if (parsed.msg === "listening" && parsed.url) {
              clearTimeout(timer);
              resolve(parsed.url);
            }
          } catch {
            // not a log line
          }
        }
      });
      proc.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`vault exited with code ${code} before listening:\n${output}`));
      });
    });

  url = await launch();
  port = Number(new URL(url).port);

  const stop = async (): Promise<number | null> => {
    const proc = child as ChildProcess | null;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return proc?.exitCode ?? null;
    proc.kill("SIGTERM");
    return exited;
  };

  const vault: RunningVault = {
    get url() {
      return url;
    },
    token,
    ...(options.tenant !== undefined ? { tenant: options.tenant } : {}),
    dataDir,
    logs: () => output,
    get pid() {
      return (child as ChildProcess | null)?.pid;
    },
    stop,
    kill() {
      (child as ChildProcess | null)?.kill("SIGKILL");
    },
    async restart() {
      const proc = child as ChildProcess | null;
      if (proc && proc.exitCode === null && proc.signalCode === null) await stop();
      else await exited;
      url = await launch();
    },
    async destroy() {
      await stop();
      if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return vault;
}

import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { accessSync, chownSync, constants, mkdtempSync, rmSync } from "node:fs";
import { createServer, Socket } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import pg from "pg";

/**
 * A throwaway database server started for a test run.
 *
 * @example
 * ```ts
 * const { url, stop } = await startRedis();
 * afterAll(stop);
 * ```
 */
export interface ServiceHandle {
  /** Connection URL (`postgres://...` or `redis://...`), always on 127.0.0.1. */
  url: string;
  /** Stops the server and removes its data directory. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Options for {@link startRedis}.
 *
 * @example
 * ```ts
 * const redis = await startRedis({ appendOnly: true }); // survives its own restart
 * ```
 */
export interface StartRedisOptions {
  /**
   * Write an append-only file with `appendfsync always` (crash tests); default off. Such a
   * server is always started here, even when `SV_REDIS_URL` is set.
   */
  appendOnly?: boolean;
}

const PG_DIRS = [
  "/usr/local/bin",
  "/usr/lib/postgresql/17/bin",
  "/usr/lib/postgresql/16/bin",
  "/usr/lib/postgresql/15/bin",
];

function findBinary(name: string, extraDirs: readonly string[], hint: string): string {
  const dirs = [...(process.env.PATH ?? "").split(delimiter), ...extraDirs].filter(Boolean);
  for (const dir of dirs) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  throw new Error(`${name} was not found on PATH or in ${extraDirs.join(", ")}. ${hint}`);
}

/**
 * A free TCP port on 127.0.0.1. The port is released before it is returned, so callers
 * retry if another process takes it first.
 *
 * @example
 * ```ts
 * const port = await freePort();
 * spawn("redis-server", ["--port", String(port)]);
 * ```
 */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === "object") resolve(address.port);
        else reject(new Error("could not allocate a port"));
      });
    });
  });
}

const isRoot = () => typeof process.getuid === "function" && process.getuid() === 0;

function postgresUser(): { uid: number; gid: number } {
  const r = spawnSync("id", ["-u", "postgres"], { encoding: "utf8" });
  const g = spawnSync("id", ["-g", "postgres"], { encoding: "utf8" });
  if (r.status !== 0 || g.status !== 0) {
    throw new Error(
      "PostgreSQL refuses to run as root and there is no `postgres` user. Install the server with `apt-get install postgresql` (it creates the user) or set SV_PG_URL.",
    );
  }
  return { uid: Number(r.stdout.trim()), gid: Number(g.stdout.trim()) };
}

// Every started child is killed if the test process exits without stopping it.
const running = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

function waitForLine(child: ChildProcess, pattern: RegExp, what: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let log = "";
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      if (pattern.test(log)) done();
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`${what} exited with code ${code} before it was ready:\n${log.slice(-4000)}`));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`${what} was not ready after ${timeoutMs} ms:\n${log.slice(-4000)}`));
    }, timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      child.stdout?.off("data", onData);
      child.stderr?.off("data", onData);
      child.off("exit", onExit);
    };
    const done = () => {
      cleanup();
      // Keep draining output so a chatty server never blocks on a full pipe.
      child.stdout?.resume();
      child.stderr?.resume();
      resolve();
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", onExit);
  });
}

function stopChild(child: ChildProcess, signal: NodeJS.Signals, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      running.delete(child);
      resolve();
      return;
    }
    const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
    child.once("exit", () => {
      clearTimeout(timer);
      running.delete(child);
      resolve();
    });
    child.kill(signal);
  });
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let promise: Promise<void> | undefined;
  return () => {
    promise ??= fn();
    return promise;
  };
}

/** A fresh, empty database on the server named by `SV_PG_URL`, dropped again by `stop()`. */
async function databaseOnExternalServer(base: string): Promise<ServiceHandle> {
  const name = `sv_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    stop: once(async () => {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    }),
  };
}

/**
 * Start a throwaway PostgreSQL server (initdb into a temp directory, then `postgres`
 * on a free port of 127.0.0.1). With `SV_PG_URL` set, a fresh database on that server
 * is created instead and dropped by `stop()`. Throws, with an install hint, when the
 * binaries are missing.
 *
 * @example
 * ```ts
 * const pg = await startPostgres();
 * const storage = createPostgresStorage({ url: pg.url });
 * // ...
 * await pg.stop();
 * ```
 */
export async function startPostgres(): Promise<ServiceHandle> {
  const external = process.env.SV_PG_URL;
  if (external) return databaseOnExternalServer(external);
  return startLocalPostgres();
}

/** A PostgreSQL server this process started, which a test may shut down and bring back. */
export interface LocalPostgresHandle extends ServiceHandle {
  /** Fast shutdown (SIGINT: sessions end, a checkpoint is written); the data directory stays. */
  halt(): Promise<void>;
  /** Starts PostgreSQL again (halting it first if it runs) on the same port with the same data. */
  restart(): Promise<void>;
}

/**
 * Starts a server with `launch` on a free port, on another free port when it fails in a way
 * `retryable` accepts (another process took the port meanwhile), four tries at most. When
 * it gives up, the server's data folder `dir` is removed.
 */
async function launchOnFreePort(
  launch: (port: number) => Promise<ChildProcess>,
  dir: string,
  retryable: (error: unknown) => boolean,
): Promise<{ port: number; child: ChildProcess }> {
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    try {
      return { port, child: await launch(port) };
    } catch (error) {
      if (attempt < 3 && retryable(error)) continue;
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
  }
}

/**
 * Like {@link startPostgres}, but always a server of its own (never `SV_PG_URL`), with
 * `halt()` and `restart()` for fault tests.
 *
 * @example
 * ```ts
 * const pg = await startLocalPostgres();
 * await pg.restart(); // clients see their connections drop; committed rows are still there
 * ```
 */
export async function startLocalPostgres(): Promise<LocalPostgresHandle> {
  const hint = "Install it with `apt-get install postgresql` or point SV_PG_URL at a server.";
  const initdb = findBinary("initdb", PG_DIRS, hint);
  const postgres = findBinary("postgres", PG_DIRS, hint);
  const asPostgres = isRoot();
  const owner = asPostgres ? postgresUser() : null;
  // initdb and postgres refuse to run as root, so as root everything runs as `postgres`.
  const wrap = (cmd: string, args: string[]): [string, string[]] =>
    asPostgres ? ["runuser", ["-u", "postgres", "--", cmd, ...args]] : [cmd, args];

  const dir = mkdtempSync(join(tmpdir(), "sv-pg-"));
  if (owner) chownSync(dir, owner.uid, owner.gid);
  const data = join(dir, "data");
  const [initCmd, initArgs] = wrap(initdb, [
    "-D",
    data,
    "-U",
    "postgres",
    "--auth=trust",
    "-E",
    "UTF8",
    "--locale=C",
    // The cluster is thrown away after the run; skipping initdb's fsync saves seconds.
    "--no-sync",
  ]);
  const init = spawnSync(initCmd, initArgs, { encoding: "utf8" });
  if (init.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`initdb failed (${init.status}): ${init.error?.message ?? ""}\n${init.stderr}`);
  }

  const launch = async (port: number): Promise<ChildProcess> => {
    // The server runs under the postgres uid directly (not through runuser) so that
    // shutdown signals reach the postmaster itself.
    const child = spawn(
      postgres,
      [
        "-D",
        data,
        "-p",
        String(port),
        "-c",
        "listen_addresses=127.0.0.1",
        "-c",
        `unix_socket_directories=${dir}`,
        "-c",
        "max_connections=100",
        "-c",
        "shared_buffers=32MB",
      ],
      { stdio: ["ignore", "pipe", "pipe"], ...(owner ?? {}) },
    );
    running.add(child);
    try {
      await waitForLine(child, /ready to accept connections/, "postgres", 60_000);
    } catch (error) {
      running.delete(child);
      child.kill("SIGKILL");
      throw error;
    }
    return child;
  };

  const { port, child } = await launchOnFreePort(launch, dir, (error) =>
    /already in use|could not bind/i.test(String(error)),
  );
  let current: ChildProcess = child;
  // SIGINT is PostgreSQL's "fast shutdown": it ends sessions and checkpoints.
  const halt = () => stopChild(current, "SIGINT", 10_000);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    halt,
    async restart() {
      await halt();
      current = await launch(port);
    },
    stop: once(async () => {
      await halt();
      rmSync(dir, { recursive: true, force: true });
    }),
  };
}

/** Sends one command to Redis and returns its reply line (enough for INCR, SELECT, FLUSHDB). */
function redisCommand(url: URL, ...commands: string[][]): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    const replies: string[] = [];
    let buffered = "";
    socket.setTimeout(10_000, () => socket.destroy(new Error("redis did not answer")));
    socket.on("error", reject);
    socket.on("data", (chunk) => {
      buffered += chunk.toString();
      let newline = buffered.indexOf("\r\n");
      while (newline !== -1) {
        replies.push(buffered.slice(0, newline));
        buffered = buffered.slice(newline + 2);
        newline = buffered.indexOf("\r\n");
      }
      if (replies.length >= commands.length) {
        socket.end();
        const failed = replies.find((r) => r.startsWith("-"));
        if (failed) reject(new Error(`redis: ${failed.slice(1)}`));
        else resolve(replies);
      }
    });
    socket.connect(Number(url.port || 6379), url.hostname, () => {
      const auth = url.password
        ? [["AUTH", ...(url.username ? [url.username] : []), decodeURIComponent(url.password)]]
        : [];
      commands.unshift(...auth);
      const wire = commands
        .map((args) => `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join("")}`)
        .join("");
      socket.write(wire);
    });
  });
}

/**
 * A logical database of the server named by `SV_REDIS_URL` that no other test file uses
 * at the same time: handed out round-robin (1-15) by a counter in database 0, emptied
 * before use and again by `stop()`.
 */
async function databaseOnExternalRedis(base: string): Promise<ServiceHandle> {
  const url = new URL(base);
  const [counter] = await redisCommand(url, ["INCR", "sessionvault:test-db-counter"]);
  const db = 1 + (Number(counter!.slice(1)) % 15);
  const flush = () => redisCommand(url, ["SELECT", String(db)], ["FLUSHDB"]).then(() => {});
  await flush();
  url.pathname = `/${db}`;
  return { url: url.toString(), stop: once(flush) };
}

async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = new Socket();
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
      socket.connect(port, "127.0.0.1");
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on 127.0.0.1:${port} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Start a throwaway Redis server on a free port of 127.0.0.1 with its data in a temp
 * directory (no RDB snapshots; an append-only file only when asked for). With
 * `SV_REDIS_URL` set, a logical database (1-15) of that server that no other caller
 * holds is emptied and handed out instead, and emptied again by `stop()`. Throws, with an install hint, when `redis-server` is missing.
 *
 * @example
 * ```ts
 * const redis = await startRedis();
 * const storage = createRedisStorage({ url: redis.url });
 * // ...
 * await redis.stop();
 * ```
 */
export async function startRedis(options: StartRedisOptions = {}): Promise<ServiceHandle> {
  const external = process.env.SV_REDIS_URL;
  // Persistence is a server setting: a caller that asks for it gets a server of its own.
  if (external && !options.appendOnly) return databaseOnExternalRedis(external);
  return startLocalRedis(options);
}

/** A Redis server this process started, which a test may crash and bring back. */
export interface LocalRedisHandle extends ServiceHandle {
  /** SIGKILL: Redis dies without any chance to flush (crash tests). */
  kill(): void;
  /** Starts Redis again on the same port with the same data directory. */
  restart(): Promise<void>;
}

/**
 * Like {@link startRedis}, but always a server of its own (never `SV_REDIS_URL`), with
 * `kill()` and `restart()` for crash tests.
 *
 * @example
 * ```ts
 * const redis = await startLocalRedis({ appendOnly: true });
 * redis.kill();
 * await redis.restart(); // the acknowledged writes are back from the append-only file
 * ```
 */
export async function startLocalRedis(options: StartRedisOptions = {}): Promise<LocalRedisHandle> {
  const redisServer = findBinary(
    "redis-server",
    ["/usr/bin", "/usr/local/bin"],
    "Install it with `apt-get install redis-server` or point SV_REDIS_URL at a server.",
  );
  const dir = mkdtempSync(join(tmpdir(), "sv-redis-"));
  const launch = async (port: number): Promise<ChildProcess> => {
    const child = spawn(
      redisServer,
      [
        "--port",
        String(port),
        "--bind",
        "127.0.0.1",
        "--dir",
        dir,
        "--save",
        "",
        "--appendonly",
        options.appendOnly ? "yes" : "no",
        "--appendfsync",
        "always",
        "--daemonize",
        "no",
        "--protected-mode",
        "yes",
        "--loglevel",
        "warning",
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    running.add(child);
    const exited = new Promise<Error>((resolve) =>
      child.once("exit", (code) => resolve(new Error(`redis-server exited with code ${code}`))),
    );
    child.stdout?.resume();
    child.stderr?.resume();
    try {
      await Promise.race([waitForPort(port, 30_000), exited.then((e) => Promise.reject(e))]);
    } catch (error) {
      running.delete(child);
      child.kill("SIGKILL");
      throw error;
    }
    return child;
  };

  const { port, child } = await launchOnFreePort(launch, dir, () => true);
  let current: ChildProcess = child;
  return {
    url: `redis://127.0.0.1:${port}`,
    kill() {
      current.kill("SIGKILL");
    },
    async restart() {
      await stopChild(current, "SIGKILL", 10_000);
      current = await launch(port);
    },
    stop: once(async () => {
      await stopChild(current, "SIGTERM", 10_000);
      rmSync(dir, { recursive: true, force: true });
    }),
  };
}

import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  freePort,
  type LocalPostgresHandle,
  type LocalRedisHandle,
  startLocalPostgres,
  startLocalRedis,
} from "./services.js";
import { serverFile } from "./vault.js";

/**
 * Options for {@link runSoak}.
 *
 * @example
 * ```ts
 * const result = await runSoak({ driver: "postgres", durationMs: 30_000 });
 * console.log(result.line);
 * ```
 */
export interface SoakOptions {
  driver: "sqlite" | "postgres" | "redis";
  /** How long the clients send requests, faults included (default 32 s). */
  durationMs?: number;
  /** Concurrent clients (default 6), each with its own keys. */
  clients?: number;
  /** Pause of each client between two requests (default 4 ms): a steady load, not a saturating one. */
  thinkMs?: number;
  /** Samples before this are warm-up: no baseline, no memory start (default 5 s). */
  warmupMs?: number;
  /** Time after warm-up, before the first fault, that sets its latency baseline (default 6 s). */
  baselineMs?: number;
  /** Time from one fault's start to the next one's (default 11 s). */
  faultEveryMs?: number;
  /** How long a stopped server stays down (default 1 s). */
  downtimeMs?: number;
  /** A fault window ends this long after the server is reachable again (default 2 s). */
  graceMs?: number;
  /** Progress lines (faults, phases); silent by default. */
  log?: (line: string) => void;
}

/** One injected fault and how the latency recovered from it. */
export interface SoakFault {
  kind: "storage" | "instance";
  /** Milliseconds since the run's start. */
  startMs: number;
  /** When the restarted server answered again (ms since start). */
  reachableMs: number;
  /** Median p99 (ms) of the 1 s buckets before the fault, since warm-up or 5 s after the previous fault. */
  baselineMs: number;
  /** Median p99 (ms) of the 1 s buckets from 5 s after the server answered again until the next fault. */
  afterMs: number;
  /**
   * Seconds from reachable until the end of the first 1 s bucket whose p99 is at most
   * max(2x the larger of baselineMs and afterMs, 25 ms); Infinity: never before the next fault.
   */
  recoveryS: number;
}

/** The figures of one soak run. Every bound the run asserts is in `failures` when it is missed. */
export interface SoakResult {
  driver: SoakOptions["driver"];
  /** HTTP requests sent (retries included). */
  requests: number;
  /** Operations that got their expected answer (acknowledged writes and reads). */
  acked: number;
  /** Acknowledged writes (create, upsert, update, delete). */
  ackedWrites: number;
  /** Writes whose outcome is unknown (error, 5xx or timeout): either value is accepted later. */
  unknownWrites: number;
  /** Keys read back through a fresh instance after the run. */
  keysChecked: number;
  /** Reads, during the run or after it, that missed an acknowledged write. */
  lost: number;
  /** 5xx answers, and network errors, outside every fault window. */
  fiveXxOutside: number;
  errorsOutside: number;
  /** 5xx answers and network errors inside the fault windows (expected, reported). */
  fiveXxInside: number;
  errorsInside: number;
  /** Answers no operation should give (a 4xx other than the expected 404s). */
  unexpected: number;
  /** RSS (bytes) of the instance that is never killed: median after warm-up, median of the last 3 s, peak. */
  rssStart: number;
  rssEnd: number;
  rssPeak: number;
  /** RSS (bytes) at ten evenly spaced moments of the run, to tell a plateau from a slope. */
  rssTimeline: { atS: number; bytes: number }[];
  /** Allowed growth of rssEnd over rssStart. */
  rssBound: number;
  /** The first fault's baseline (each fault has its own, see {@link SoakFault}). */
  p99BaseMs: number;
  /** p99 (ms) of each 1 s bucket of the load, by request start. */
  p99Timeline: number[];
  faults: SoakFault[];
  /** Bounds that were missed, one line each; empty when the run passed. */
  failures: string[];
  /** The figures on one line. */
  line: string;
}

const TOKEN_ID = "soak";
// The memory bound: the instance may grow by at most this much over the run. A vault
// that holds nothing per request stays within a few MB; the room is V8's young
// generation (16 MiB semi-spaces, 48 MiB at most) filling and being collected, plus
// the SQLite page cache and the PostgreSQL/Redis client buffers refilling after a fault.
const RSS_BOUND = 40 * 1024 * 1024;
const RECOVERY_BOUND_S = 5;
// "Back to normal" is a p99 of at most twice the fault's baseline, or of at most this
// much: on a machine shared with other work a 1 s bucket's p99 swings between a few ms
// and a hundred between two seconds without any fault, so a bucket under 25 ms is normal
// whatever the baseline was. A vault still stuck after a fault answers in seconds.
const NORMAL_P99_MS = 25;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const binPath = (): string => serverFile(join("bin", "sessionvault.js"));

/** A `sessionvault start` process (the published bin, as users run it) that can be killed and started again. */
interface VaultProcess {
  url: string;
  readonly pid: number | undefined;
  kill(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

async function vaultProcess(env: Record<string, string>): Promise<VaultProcess> {
  const port = await freePort();
  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();
  const start = () =>
    new Promise<void>((resolve, reject) => {
      let output = "";
      const proc = spawn(process.execPath, [binPath(), "start", "--port", String(port)], {
        env: { ...process.env, SESSIONVAULT_HOST: "127.0.0.1", ...env },
        stdio: ["ignore", "pipe", "pipe"],
      });
      child = proc;
      exited = new Promise((done) => proc.once("exit", () => done()));
      const timer = setTimeout(() => {
        proc.kill("SIGKILL");
        reject(new Error(`vault did not listen within 20 s:\n${output.slice(-4000)}`));
      }, 20_000);
      proc.stderr!.on("data", (chunk: Buffer) => {
        output += chunk.toString();
      });
      proc.stdout!.on("data", (chunk: Buffer) => {
        if (output.length < 1_000_000) output += chunk.toString();
        if (/"msg":"listening"/.test(output)) {
          clearTimeout(timer);
          resolve();
        }
      });
      proc.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`vault exited with code ${code} before listening:\n${output.slice(-4000)}`));
      });
    });
  await start();
  const alive = () => child !== null && child.exitCode === null && child.signalCode === null;
  return {
    url: `http://127.0.0.1:${port}`,
    get pid() {
      return child?.pid;
    },
    async kill() {
      if (!alive()) return;
      child!.kill("SIGKILL");
      await exited;
    },
    start,
    async stop() {
      if (!alive()) return;
      child!.kill("SIGTERM");
      await exited;
    },
  };
}

/** Resident set size of a process in bytes, from /proc (Linux) or `ps`. */
function rssOf(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = /VmRSS:\s+(\d+)/.exec(status);
    if (kb) return Number(kb[1]) * 1024;
  } catch {
    // not Linux, or the process is gone
  }
  return 0;
}

type Outcome =
  | { kind: "reply"; status: number; body: Record<string, unknown> }
  | { kind: "refused" } // never reached a vault: nothing was applied
  | { kind: "error" }; // reset, timeout: the request may or may not have been applied

interface Sample {
  at: number;
  ms: number;
  fiveXx: boolean;
  error: boolean;
  /** What went wrong, for the failure lines: operation, instance, status or error code. */
  what?: string;
}

const percentile = (values: number[], p: number) => {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};
const median = (values: number[]) => percentile(values, 50);

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)}MB`;

/**
 * Runs mixed operations (SessionUpsert/Get/Delete, UserCreate/Get/Update, TokenCreate/Get)
 * from several clients over real HTTP against two `sessionvault start` processes while
 * the storage is restarted (PostgreSQL, Redis; on SQLite the process holding the file is
 * killed) and one instance is killed with SIGKILL and started again, alternately. Then
 * every key is read back through a fresh instance. Returns the figures and the bounds
 * missed: acknowledged writes lost, 5xx outside the fault windows, RSS growth of the
 * surviving instance, and p99 recovery after each fault.
 *
 * PostgreSQL and Redis: both instances share the storage and clients go round robin,
 * retrying on the other instance when theirs does not answer. SQLite is one file per
 * process, so each instance has its own file and a key always goes to the instance that
 * holds it; the faults hit the first instance only.
 *
 * @example
 * ```ts
 * const result = await runSoak({ driver: "redis", durationMs: 600_000, log: console.log });
 * if (result.failures.length) process.exitCode = 1;
 * ```
 */
export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  const driver = options.driver;
  const durationMs = options.durationMs ?? 32_000;
  const clients = options.clients ?? 6;
  const thinkMs = options.thinkMs ?? 4;
  const warmupMs = options.warmupMs ?? 5_000;
  const baselineMs = options.baselineMs ?? 6_000;
  const faultEveryMs = options.faultEveryMs ?? 11_000;
  const downtimeMs = options.downtimeMs ?? 1_000;
  const graceMs = options.graceMs ?? 2_000;
  const log = options.log ?? (() => {});

  const dirs: string[] = [];
  let pgServer: LocalPostgresHandle | null = null;
  let redisServer: LocalRedisHandle | null = null;
  const vaults: VaultProcess[] = [];
  const token = randomBytes(24).toString("base64url");
  const common = {
    SESSIONVAULT_STORAGE: driver,
    SESSIONVAULT_ACCESS_TOKENS: `${TOKEN_ID}:${token}`,
    SESSIONVAULT_MASTER_KEY: randomBytes(32).toString("base64"),
  };
  // The environment of each of the two instances (and of the fresh one that reads back).
  const envs: Record<string, string>[] = [];
  try {
    if (driver === "postgres") {
      pgServer = await startLocalPostgres();
      envs.push({ ...common, SESSIONVAULT_DATABASE_URL: pgServer.url });
      envs.push(envs[0]!);
    } else if (driver === "redis") {
      // Append-only with fsync on every write: acknowledged writes survive Redis's own restart.
      redisServer = await startLocalRedis({ appendOnly: true });
      envs.push({ ...common, SESSIONVAULT_REDIS_URL: redisServer.url });
      envs.push(envs[0]!);
    } else {
      for (let i = 0; i < 2; i++) {
        const dir = mkdtempSync(join(tmpdir(), "sv-soak-"));
        dirs.push(dir);
        envs.push({ ...common, SESSIONVAULT_SQLITE_PATH: join(dir, "vault.db") });
      }
    }
    for (const env of envs) vaults.push(await vaultProcess(env));
    const [victim, survivor] = vaults as [VaultProcess, VaultProcess];
    const sharded = driver === "sqlite";

    const t0 = performance.now();
    const now = () => performance.now() - t0;
    const samples: Sample[] = [];
    const windows: { start: number; end: number }[] = [];
    let openWindow: { start: number } | null = null;
    // A request is inside a fault window when it was in flight at any moment of it.
    const inWindow = (s: Sample) =>
      (openWindow !== null && s.at + s.ms >= openWindow.start) ||
      windows.some((w) => s.at + s.ms >= w.start && s.at <= w.end);
    const counts = { requests: 0, acked: 0, ackedWrites: 0, unknownWrites: 0, lost: 0, unexpected: 0 };
    const lostDetails: string[] = [];
    const oddReplies: string[] = [];

    const send = async (base: string, operation: string, body: unknown): Promise<Outcome> => {
      const started = now();
      counts.requests++;
      let outcome: Outcome;
      let code: string | undefined;
      try {
        const res = await fetch(`${base}/v2/${operation}`, {
          method: "POST",
          headers: { "content-type": "application/json", "x-bunker-token": token },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(15_000),
        });
        const text = await res.text();
        let parsed: Record<string, unknown> = {};
        try {
          parsed = JSON.parse(text) as Record<string, unknown>;
        } catch {
          // an unparsable body is judged by its status
        }
        outcome = { kind: "reply", status: res.status, body: parsed };
      } catch (error) {
        const cause = (error as { cause?: { code?: string; name?: string } }).cause;
        code = cause?.code ?? cause?.name ?? (error as Error).name;
        outcome = code === "ECONNREFUSED" ? { kind: "refused" } : { kind: "error" };
      }
      const fiveXx = outcome.kind === "reply" && outcome.status >= 500;
      if (outcome.kind === "reply" && outcome.status >= 400 && outcome.status < 500 && outcome.status !== 404) {
        if (oddReplies.length < 5)
          oddReplies.push(
            `${operation} ${outcome.status} ${String(outcome.body.message)} at ${(started / 1000).toFixed(2)}s`,
          );
      }
      samples.push({
        at: started,
        ms: now() - started,
        fiveXx,
        error: outcome.kind !== "reply",
        ...(fiveXx || outcome.kind !== "reply"
          ? {
              what: `${operation} on ${base.slice(-5)}: ${
                outcome.kind === "reply" ? `${outcome.status} ${String(outcome.body.message)}` : code
              }`,
            }
          : {}),
      });
      return outcome;
    };

    // --- the model: every value a key may hold, given the answers seen so far ---
    const ABSENT = "<absent>";
    interface Key {
      op: "session" | "user" | "token";
      id: string;
      shard: number;
      states: Set<string>;
    }
    const keys: Key[] = [];
    const lostAt = (key: Key, seen: string, where: string) => {
      counts.lost++;
      if (lostDetails.length < 5)
        lostDetails.push(`${where} ${key.op} read ${seen}, expected one of ${[...key.states].join("|")}`);
    };

    let stopping = false;
    let rr = 0;
    const client = async (c: number) => {
      const sessions: Key[] = Array.from({ length: 24 }, (_, i) => {
        const id = `soak-${c}-${i}-${randomBytes(12).toString("base64url")}`;
        const key: Key = { op: "session", id, shard: i % 2, states: new Set([ABSENT]) };
        keys.push(key);
        return key;
      });
      const users: Key[] = [];
      const tokens: Key[] = [];
      let seq = 0;
      // One operation through one instance, retried once on the other when it does not answer.
      const route = async (shard: number, operation: string, body: unknown): Promise<Outcome> => {
        if (sharded) return send(vaults[shard]!.url, operation, body);
        const first = rr++ % 2;
        const outcome = await send(vaults[first]!.url, operation, body);
        if (outcome.kind === "reply") return outcome;
        const retry = await send(vaults[1 - first]!.url, operation, body);
        // A retry that is refused says nothing about the first attempt, which may have been
        // applied; nor does a conflict the first attempt may have caused itself (a UserCreate
        // whose email it already claimed).
        if (outcome.kind === "error" && retry.kind === "refused") return outcome;
        if (outcome.kind === "error" && retry.kind === "reply" && retry.status === 409) return outcome;
        return retry;
      };
      // Applies a write's outcome to the model.
      const wrote = (key: Key, value: string, outcome: Outcome, ok: (status: number) => boolean) => {
        if (outcome.kind === "reply" && ok(outcome.status)) {
          key.states = new Set([value]);
          counts.acked++;
          counts.ackedWrites++;
        } else if (outcome.kind === "refused") {
          // not applied: the key keeps what it may hold
        } else {
          key.states.add(value);
          counts.unknownWrites++;
          if (outcome.kind === "reply" && outcome.status < 500) counts.unexpected++;
        }
      };
      const read = (key: Key, outcome: Outcome, value: (body: Record<string, unknown>) => string) => {
        if (outcome.kind !== "reply") return;
        if (outcome.status >= 500) return;
        const seen = outcome.status === 404 ? ABSENT : outcome.status === 200 ? value(outcome.body) : null;
        if (seen === null) {
          counts.unexpected++;
          return;
        }
        counts.acked++;
        if (!key.states.has(seen)) lostAt(key, seen, "during the run");
        key.states = new Set([seen]);
      };
      const pick = <T>(list: T[]) => list[Math.floor(Math.random() * list.length)]!;

      while (!stopping) {
        const roll = Math.random() * 100;
        seq++;
        if (roll < 30) {
          const key = pick(sessions);
          const data = { c, seq };
          const out = await route(key.shard, "SessionUpsert", { sessionuuid: key.id, sessiondata: data });
          wrote(key, JSON.stringify(data), out, (s) => s === 200);
        } else if (roll < 55) {
          const key = pick(sessions);
          const out = await route(key.shard, "SessionGet", { sessionuuid: key.id });
          read(key, out, (b) => JSON.stringify(b.sessiondata));
        } else if (roll < 60) {
          const key = pick(sessions);
          const out = await route(key.shard, "SessionDelete", { sessionuuid: key.id });
          // 404: it was absent already, which is also an answer about its state.
          wrote(key, ABSENT, out, (s) => s === 200 || s === 404);
        } else if (roll < 65 || users.length === 0) {
          const shard = seq % 2;
          const email = `soak-${c}-${seq}-${randomBytes(4).toString("hex")}@example.com`;
          const out = await route(shard, "UserCreate", { profile: { email, v: 0 } });
          if (out.kind === "reply" && out.status === 200 && typeof out.body.token === "string") {
            const key: Key = { op: "user", id: out.body.token, shard, states: new Set(["0"]) };
            users.push(key);
            keys.push(key);
            counts.acked++;
            counts.ackedWrites++;
          } else if (out.kind !== "refused") {
            // A user that may exist is never looked at again: either answer is right.
            counts.unknownWrites++;
            if (out.kind === "reply" && out.status < 500) counts.unexpected++;
          }
        } else if (roll < 75) {
          const key = pick(users);
          const out = await route(key.shard, "UserGet", { mode: "token", identity: key.id });
          read(key, out, (b) => String((b.profile as { v?: unknown } | undefined)?.v));
        } else if (roll < 85) {
          const key = pick(users);
          const out = await route(key.shard, "UserUpdate", { mode: "token", identity: key.id, profile: { v: seq } });
          wrote(key, String(seq), out, (s) => s === 200);
        } else if (roll < 92 || tokens.length === 0) {
          const shard = seq % 2;
          const record = `soak-record-${c}-${seq}`;
          const out = await route(shard, "TokenCreate", { tokentype: "string", record });
          if (out.kind === "reply" && out.status === 200 && typeof out.body.tokenuuid === "string") {
            const key: Key = { op: "token", id: out.body.tokenuuid, shard, states: new Set([record]) };
            tokens.push(key);
            keys.push(key);
            counts.acked++;
            counts.ackedWrites++;
          } else if (out.kind !== "refused") {
            counts.unknownWrites++;
            if (out.kind === "reply" && out.status < 500) counts.unexpected++;
          }
        } else {
          const key = pick(tokens);
          const out = await route(key.shard, "TokenGet", { token: key.id });
          read(key, out, (b) => String(b.record));
        }
        if (thinkMs > 0) await sleep(thinkMs);
      }
    };

    // --- memory of the instance that is never killed ---
    const rss: { at: number; bytes: number }[] = [];
    const sampler = setInterval(() => {
      const pid = survivor.pid;
      if (pid !== undefined) rss.push({ at: now(), bytes: rssOf(pid) });
    }, 500);

    // --- faults, alternately the storage and one instance ---
    const faults: SoakFault[] = [];
    const faulter = async () => {
      let at = warmupMs + baselineMs;
      for (let i = 0; at + faultEveryMs <= durationMs; i++, at += faultEveryMs) {
        await sleep(at - now());
        const kind: SoakFault["kind"] = i % 2 === 0 ? "storage" : "instance";
        const start = now();
        openWindow = { start };
        if (kind === "instance" || driver === "sqlite") {
          await victim.kill();
          await sleep(downtimeMs);
          await victim.start();
        } else if (pgServer) {
          await pgServer.halt();
          await sleep(downtimeMs);
          await pgServer.restart();
        } else {
          redisServer!.kill();
          await sleep(downtimeMs);
          await redisServer!.restart();
        }
        const reachable = now();
        windows.push({ start, end: reachable + graceMs });
        openWindow = null;
        faults.push({
          kind,
          startMs: start,
          reachableMs: reachable,
          baselineMs: Number.NaN,
          afterMs: Number.NaN,
          recoveryS: Number.NaN,
        });
        log(
          `soak ${driver}: ${kind} fault at ${(start / 1000).toFixed(1)}s, reachable after ${((reachable - start) / 1000).toFixed(1)}s`,
        );
      }
    };

    const load = Array.from({ length: clients }, (_, c) => client(c));
    // A fault that cannot be brought back (a server that does not start again) ends the run.
    const faulting = faulter().then(
      () => null,
      (error: unknown) => error,
    );
    await sleep(durationMs);
    const faultError = await faulting;
    if (faultError) {
      stopping = true;
      await Promise.all(load);
      throw faultError;
    }
    stopping = true;
    await Promise.all(load);
    clearInterval(sampler);
    log(`soak ${driver}: load stopped after ${(now() / 1000).toFixed(1)}s, ${counts.requests} requests`);

    // --- read every key back through fresh instances ---
    for (const v of vaults) await v.stop();
    const fresh = sharded ? await Promise.all(envs.map((env) => vaultProcess(env))) : [await vaultProcess(envs[0]!)];
    vaults.push(...fresh);
    for (let i = 0; i < keys.length; i += 32) {
      await Promise.all(
        keys.slice(i, i + 32).map(async (key) => {
          const base = fresh[sharded ? key.shard : 0]!.url;
          const [operation, body] =
            key.op === "session"
              ? ["SessionGet", { sessionuuid: key.id }]
              : key.op === "user"
                ? ["UserGet", { mode: "token", identity: key.id }]
                : ["TokenGet", { token: key.id }];
          const out = await send(base, operation, body);
          if (out.kind !== "reply" || (out.status !== 200 && out.status !== 404)) {
            counts.lost++;
            if (lostDetails.length < 5)
              lostDetails.push(`read-back ${key.op} answered ${out.kind === "reply" ? out.status : out.kind}`);
            return;
          }
          const b = out.body;
          const seen =
            out.status === 404
              ? ABSENT
              : key.op === "session"
                ? JSON.stringify(b.sessiondata)
                : key.op === "user"
                  ? String((b.profile as { v?: unknown } | undefined)?.v)
                  : String(b.record);
          if (!key.states.has(seen)) lostAt(key, seen, "read-back");
        }),
      );
    }

    // --- figures ---
    const loadSamples = samples.filter((s) => s.at <= durationMs + 15_000);
    const outside = loadSamples.filter((s) => (s.fiveXx || s.error) && !inWindow(s));
    const fiveXxOutside = outside.filter((s) => s.fiveXx).length;
    const errorsOutside = outside.filter((s) => s.error).length;
    const outsideDetails = outside
      .slice(0, 5)
      .map((s) => `${s.what} at ${(s.at / 1000).toFixed(2)}s`)
      .join("; ");
    const fiveXxInside = loadSamples.filter((s) => s.fiveXx && inWindow(s)).length;
    const errorsInside = loadSamples.filter((s) => s.error && inWindow(s)).length;

    const buckets = new Map<number, number[]>();
    for (const s of samples) {
      if (s.at > durationMs) continue;
      const b = Math.floor(s.at / 1000);
      const list = buckets.get(b) ?? [];
      list.push(s.ms);
      buckets.set(b, list);
    }
    const p99Of = (b: number) => percentile(buckets.get(b) ?? [], 99);
    // "Normal" for a fault is the calm level on either side of it: the median p99 of the
    // buckets before it (from warm-up, or 5 s after the previous fault's server answered
    // again) and of the buckets from 5 s after its own server answered again until the
    // next fault. A machine shared with other work changes speed over minutes, so a level
    // taken once at the start, or only before the fault, would judge the recovery against
    // another machine.
    const calm = (from: number, until: number) => {
      const values: number[] = [];
      for (let b = Math.ceil(from / 1000); (b + 1) * 1000 <= until; b++) {
        const v = p99Of(b);
        if (!Number.isNaN(v)) values.push(v);
      }
      return median(values);
    };
    for (const [i, f] of faults.entries()) {
      const until = faults[i + 1]?.startMs ?? durationMs;
      f.baselineMs = calm(Math.max(warmupMs, i > 0 ? faults[i - 1]!.reachableMs + 5_000 : 0), f.startMs);
      f.afterMs = calm(f.reachableMs + 5_000, until);
      const normal = Math.max(f.baselineMs, Number.isNaN(f.afterMs) ? 0 : f.afterMs);
      f.recoveryS = Number.POSITIVE_INFINITY;
      for (let b = Math.ceil(f.reachableMs / 1000); (b + 1) * 1000 <= until; b++) {
        if (p99Of(b) <= Math.max(2 * normal, NORMAL_P99_MS)) {
          f.recoveryS = Number(((b + 1) * 1000 - f.reachableMs) / 1000);
          break;
        }
      }
    }
    const p99Base = faults[0]?.baselineMs ?? Number.NaN;

    const afterWarmup = rss.filter((r) => r.at >= warmupMs && r.at < warmupMs + 3_000).map((r) => r.bytes);
    const last = rss.filter((r) => r.at >= durationMs - 3_000).map((r) => r.bytes);
    const rssStart = median(afterWarmup);
    const rssEnd = median(last);
    const rssPeak = Math.max(...rss.map((r) => r.bytes));

    const failures: string[] = [];
    if (counts.lost > 0)
      failures.push(`${counts.lost} read(s) missed an acknowledged write: ${lostDetails.join("; ")}`);
    if (outside.length > 0)
      failures.push(
        `${fiveXxOutside} 5xx and ${errorsOutside} network error(s) outside the fault windows [${windows
          .map((w) => `${(w.start / 1000).toFixed(2)}-${(w.end / 1000).toFixed(2)}s`)
          .join(", ")}]: ${outsideDetails}`,
      );
    if (counts.unexpected > 0) failures.push(`${counts.unexpected} unexpected 4xx answer(s): ${oddReplies.join("; ")}`);
    if (!(rssEnd - rssStart < RSS_BOUND))
      failures.push(`RSS grew from ${mb(rssStart)} to ${mb(rssEnd)} (bound +${mb(RSS_BOUND)})`);
    if (Number.isNaN(p99Base)) failures.push("no latency baseline before the first fault");
    for (const f of faults) {
      if (!(f.recoveryS <= RECOVERY_BOUND_S))
        failures.push(`p99 not back within ${RECOVERY_BOUND_S}s after the ${kindAt(f)} fault (${f.recoveryS}s)`);
    }
    if (faults.length === 0) failures.push("the run was too short for any fault");

    const line =
      `soak driver=${driver} ops=${counts.requests} acked=${counts.acked} acked_writes=${counts.ackedWrites} ` +
      `unknown=${counts.unknownWrites} keys=${keys.length} lost=${counts.lost} 5xx_outside=${fiveXxOutside} ` +
      `errors_outside=${errorsOutside} 5xx_inside=${fiveXxInside} errors_inside=${errorsInside} ` +
      `rss_start=${mb(rssStart)} rss_end=${mb(rssEnd)} rss_peak=${mb(rssPeak)} p99_base=${p99Base.toFixed(1)}ms ` +
      `recovery=[${faults.map((f) => `${f.kind[0]}:${f.recoveryS.toFixed(1)}`).join(",")}]s ` +
      `p99_calm=[${faults.map((f) => `${f.baselineMs.toFixed(0)}/${f.afterMs.toFixed(0)}`).join(",")}]ms grace=${graceMs / 1000}s`;
    return {
      driver,
      requests: counts.requests,
      acked: counts.acked,
      ackedWrites: counts.ackedWrites,
      unknownWrites: counts.unknownWrites,
      keysChecked: keys.length,
      lost: counts.lost,
      fiveXxOutside,
      errorsOutside,
      fiveXxInside,
      errorsInside,
      unexpected: counts.unexpected,
      rssStart,
      rssEnd,
      rssPeak,
      rssTimeline: Array.from({ length: 10 }, (_, i) => rss[Math.floor(((i + 1) * (rss.length - 1)) / 10)]!).map(
        (r) => ({ atS: Math.round(r.at / 1000), bytes: r.bytes }),
      ),
      rssBound: RSS_BOUND,
      p99BaseMs: p99Base,
      p99Timeline: Array.from({ length: Math.ceil(durationMs / 1000) }, (_, b) => p99Of(b)),
      faults,
      failures,
      line,
    };
  } finally {
    await Promise.all(vaults.map((v) => v.kill().catch(() => {})));
    await Promise.all([pgServer?.stop(), redisServer?.stop()]);
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }
}

const kindAt = (f: SoakFault) => `${f.kind} (${(f.startMs / 1000).toFixed(1)}s)`;

// Vault throughput and latency on loopback with keep-alive, measured with wrk in the same
// run as its baselines, and its memory across a long run of upserts with expiry sweeping.
//
//   node bench/server/index.mjs [--quick] [--duration S] [--connections N] [--rounds N]
//                               [--upserts N] [--profile DIR] [--skip-rss] [--skip-throughput]
//                               [--vault-node-options="--max-semi-space-size=8"]
//
// Targets, each in its own process so wrk (one thread) and the server share the machine
// the same way for all of them:
//   ceiling  a bare node:http server answering a fixed JSON body of SessionGet's size
//   redis    node:http + ioredis doing the same HTTP/JSON work with Redis GET/SET as storage
//            (chosen over redis-benchmark, which measures Redis without any HTTP, so it
//            would not say what an HTTP session service on Redis costs)
//   vault    the `sessionvault start` CLI (the published bin, started the way users start
//            it) on the sqlite driver, 1 KiB session data, with the default durability
//            "fsync"; "vault-process" is the same with durability "process"
// Goals (judged on the default durability): SessionGet >= 0.6x ceiling, SessionUpsert
// >= 0.4x ceiling, RSS growth < 10% across 1 million upserts (--quick: 100 000) of
// sessions that expire and are swept.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const here = dirname(fileURLToPath(import.meta.url));
const { values: flags } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    duration: { type: "string" },
    connections: { type: "string" },
    rounds: { type: "string" },
    upserts: { type: "string" },
    profile: { type: "string" },
    "skip-rss": { type: "boolean", default: false },
    "skip-throughput": { type: "boolean", default: false },
    "vault-node-options": { type: "string", default: "" },
  },
});
const quick = flags.quick;
const duration = Number(flags.duration ?? (quick ? 3 : 10));
const connections = Number(flags.connections ?? 32);
const rounds = Number(flags.rounds ?? (quick ? 1 : 2));
const upserts = Number(flags.upserts ?? (quick ? 100_000 : 1_000_000));
const GOALS = { get: 0.6, upsert: 0.4, rss: 0.1 };
// Node flags for the vault process only, e.g. a V8 young-generation cap for the memory run.
const vaultNodeOptions = flags["vault-node-options"].split(" ").filter(Boolean);

for (const bin of ["wrk", "redis-server"]) {
  if (spawnSync(bin, ["--version"]).error) {
    console.error(`${bin} is required: apt-get install ${bin === "wrk" ? "wrk" : "redis-server"}`);
    process.exit(2);
  }
}

// 1 KiB of session data, the shape a real app keeps (ids, flags, a cart), as JSON.
const sessiondata = { user: "u-4711", role: "member", csrf: randomBytes(16).toString("hex"), flags: [1, 2, 3] };
sessiondata.cart = "x".repeat(1024 - JSON.stringify({ ...sessiondata, cart: "" }).length);
const DATA = JSON.stringify(sessiondata);
const IDS = 1000;
const PREFIX = "bench-session-";
const token = randomBytes(24).toString("base64url");
const work = mkdtempSync(join(tmpdir(), "sv-bench-"));
const children = new Set();

function cleanup() {
  for (const child of children) child.kill("SIGKILL");
  rmSync(work, { recursive: true, force: true });
}
process.on("exit", cleanup);
process.on("SIGINT", () => process.exit(130));

async function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

const VAULT_BIN = join(here, "..", "..", "packages", "server", "bin", "sessionvault.js");

/** Spawns a node process and waits for its `{"msg":"listening","url"}` line. */
function startProcess(script, env, nodeArgs = [], args = []) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [...nodeArgs, script.startsWith("/") ? script : join(here, script), ...args],
      {
        env: { ...process.env, ...env },
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    children.add(child);
    let buffered = "";
    child.stdout.on("data", (chunk) => {
      buffered += chunk;
      for (const line of buffered.split("\n")) {
        try {
          const msg = JSON.parse(line);
          if (msg.msg === "listening" && msg.url) {
            child.stdout.removeAllListeners("data");
            child.stdout.resume();
            resolve({
              url: msg.url,
              pid: child.pid,
              child,
              stop: () => stopProcess(child),
              memory: () => askMemory(child),
            });
            return;
          }
        } catch {
          // not a JSON line
        }
      }
    });
    child.on("exit", (code) => reject(new Error(`${script} exited (${code}) before listening`)));
  });
}

/**
 * Starts the vault through its CLI, `sessionvault start --config FILE`, as users do.
 * `nodeArgs` go to node (they are the user's choice, so the CLI keeps them); `nodeOptions`
 * go through NODE_OPTIONS (the benchmark's own probes: CPU profile, memory report).
 */
function startVault(config, nodeArgs = [], nodeOptions = []) {
  const file = join(work, `vault-${randomBytes(4).toString("hex")}.json`);
  writeFileSync(file, config);
  const env = { SESSIONVAULT_LOG_LEVEL: "info" };
  if (nodeOptions.length) env.NODE_OPTIONS = [process.env.NODE_OPTIONS ?? "", ...nodeOptions].join(" ").trim();
  return startProcess(VAULT_BIN, env, nodeArgs, ["start", "--config", file, "--port", "0"]);
}

/** Memory of a vault process after a full GC (see memory-probe.mjs). */
function askMemory(child) {
  return new Promise((resolve) => {
    let buffered = "";
    const onData = (chunk) => {
      buffered += chunk;
      const line = buffered.split("\n").find((l) => l.includes('"msg":"memory"'));
      if (!line) return;
      child.stdout.off("data", onData);
      resolve({ ...JSON.parse(line), rss: rssOf(child.pid) });
    };
    child.stdout.on("data", onData);
    child.kill("SIGUSR2");
  });
}

function stopProcess(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once("exit", () => {
      children.delete(child);
      resolve();
    });
    child.kill("SIGTERM");
    setTimeout(() => child.kill("SIGKILL"), 10_000).unref();
  });
}

async function startRedisServer() {
  const port = await freePort();
  const child = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", work],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  children.add(child);
  await new Promise((resolve, reject) => {
    let log = "";
    child.stdout.on("data", (c) => {
      log += c;
      if (/Ready to accept connections/.test(log)) {
        child.stdout.resume();
        resolve();
      }
    });
    child.on("exit", (code) => reject(new Error(`redis-server exited (${code})`)));
  });
  return { url: `redis://127.0.0.1:${port}`, stop: () => stopProcess(child) };
}

const toMs = (v, unit) => Number(v) * { us: 0.001, ms: 1, s: 1000, m: 60_000 }[unit];

/** Runs wrk and returns requests/s, p50/p99 in ms and the count of non-2xx replies. */
function wrk(url, script, seconds, env = {}) {
  const r = spawnSync("wrk", ["-t1", `-c${connections}`, `-d${seconds}s`, "--latency", "-s", join(here, script), url], {
    encoding: "utf8",
    env: { ...process.env, SV_TOKEN: token, SV_IDS: String(IDS), SV_PREFIX: PREFIX, SV_DATA: DATA, ...env },
  });
  if (r.status !== 0) throw new Error(`wrk failed: ${r.stderr || r.stdout}`);
  const out = r.stdout;
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]);
  const pct = (p) => {
    const m = new RegExp(`\\s${p}%\\s+([\\d.]+)(us|ms|s|m)\\b`).exec(out);
    return m ? toMs(m[1], m[2]) : Number.NaN;
  };
  const bad = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0);
  const errors = /Socket errors:(.*)/.exec(out)?.[1]?.trim() ?? null;
  return { rps, p50: pct(50), p99: pct(99), bad, errors, raw: out };
}

async function post(url, body) {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", "x-bunker-token": token },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${url} -> ${res.status} ${text.slice(0, 200)}`);
  return text;
}

async function preload(base) {
  for (let i = 1; i <= IDS; i += 50) {
    await Promise.all(
      Array.from({ length: Math.min(50, IDS - i + 1) }, (_, j) =>
        post(`${base}/v2/SessionUpsert`, { sessionuuid: `${PREFIX}${i + j}`, sessiondata, slidingtime: "1h" }),
      ),
    );
  }
}

function vaultConfig(extra = {}) {
  return JSON.stringify({
    storage: { driver: "sqlite", path: join(work, `vault-${randomBytes(4).toString("hex")}.db`) },
    accessTokens: [{ id: "bench", token }],
    masterKey: randomBytes(32).toString("base64"),
    ...extra,
  });
}

const fmt = (n, d = 0) => (Number.isFinite(n) ? n.toFixed(d) : "n/a");
const rssOf = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) * 1024;

async function throughput() {
  const redisServer = await startRedisServer();
  const getReply = await (async () => {
    // The ceiling answers exactly what the vault answers for SessionGet, byte for byte in size.
    const probe = await startVault(vaultConfig());
    await post(`${probe.url}/v2/SessionUpsert`, { sessionuuid: `${PREFIX}1`, sessiondata });
    const reply = await post(`${probe.url}/v2/SessionGet`, { sessionuuid: `${PREFIX}1` });
    await probe.stop();
    return reply;
  })();

  const ceiling = await startProcess("ceiling-process.mjs", { SV_REPLY: getReply });
  const redisProxy = await startProcess("redis-process.mjs", { SV_REDIS_URL: redisServer.url, SV_TOKEN: token });
  const profile = flags.profile ? ["--cpu-prof", `--cpu-prof-dir=${flags.profile}`] : [];
  const vault = await startVault(vaultConfig(), vaultNodeOptions, profile);
  const vaultProcess = await startVault(vaultConfig({ durability: "process" }), vaultNodeOptions, profile);
  await preload(vault.url);
  await preload(vaultProcess.url);
  await preload(redisProxy.url);

  const targets = { ceiling, redis: redisProxy, vault, "vault-process": vaultProcess };
  const ops = { get: ["SessionGet", "get.lua"], upsert: ["SessionUpsert", "upsert.lua"] };
  const best = {};
  for (const [op, [operation, script]] of Object.entries(ops)) {
    for (const target of Object.values(targets)) {
      wrk(`${target.url}/v2/${operation}`, script, 1); // warm-up: JIT, connections, page cache
    }
    for (let round = 0; round < rounds; round++) {
      for (const [name, target] of Object.entries(targets)) {
        const r = wrk(`${target.url}/v2/${operation}`, script, duration);
        if (r.bad > 0 || r.errors) {
          throw new Error(`${name} ${operation}: ${r.bad} non-2xx replies, socket errors: ${r.errors}\n${r.raw}`);
        }
        const key = `${op}:${name}`;
        if (!best[key] || r.rps > best[key].rps) best[key] = r;
      }
    }
  }
  await Promise.all([ceiling.stop(), redisProxy.stop(), vault.stop(), vaultProcess.stop(), redisServer.stop()]);

  console.log(`\nthroughput: wrk -t1 -c${connections}, ${duration}s x ${rounds} round(s), best round per target`);
  console.log("operation       target         req/s      p50 ms   p99 ms   vs ceiling");
  const ratios = {};
  for (const [op, [operation]] of Object.entries(ops)) {
    const c = best[`${op}:ceiling`].rps;
    for (const name of Object.keys(targets)) {
      const r = best[`${op}:${name}`];
      console.log(
        `${operation.padEnd(15)} ${name.padEnd(14)} ${fmt(r.rps).padStart(7)}  ${fmt(r.p50, 2).padStart(8)} ${fmt(r.p99, 2).padStart(8)}   ${fmt(r.rps / c, 2)}x`,
      );
    }
    ratios[op] = best[`${op}:vault`].rps / c;
    ratios[`${op}:redis`] = best[`${op}:vault`].rps / best[`${op}:redis`].rps;
    ratios[`${op}:process`] = best[`${op}:vault-process`].rps / c;
    ratios[`${op}:process:redis`] = best[`${op}:vault-process`].rps / best[`${op}:redis`].rps;
  }
  return ratios;
}

async function memory() {
  const vault = await startVault(vaultConfig({ sweepIntervalMs: 1000 }), vaultNodeOptions, [
    "--expose-gc",
    `--import=${join(here, "memory-probe.mjs")}`,
  ]);
  const samples = [];
  const timer = setInterval(() => samples.push(rssOf(vault.pid)), 500);
  // The first tenth warms caches, the JIT and the sqlite page cache; growth is measured after it.
  const warm = Math.max(10_000, Math.floor(upserts / 10));
  const ttl = "2s";
  const first = await spawnWrkCount(vault.url, warm, `rss-warm-`, ttl);
  if (first.failed) throw new Error(`warm-up upserts failed: ${first.failed}`);
  const baseline = rssOf(vault.pid);
  const baselineGc = await vault.memory();
  const started = Date.now();
  const main = await spawnWrkCount(vault.url, upserts, "rss-main-", ttl);
  const seconds = (Date.now() - started) / 1000;
  await new Promise((r) => setTimeout(r, 3000)); // let the last windows expire and one sweep run
  const final = rssOf(vault.pid);
  const finalGc = await vault.memory();
  clearInterval(timer);
  const peak = Math.max(...samples, final);
  await vault.stop();
  const growth = (final - baseline) / baseline;
  const growthGc = (finalGc.rss - baselineGc.rss) / baselineGc.rss;
  const mib = (n) => fmt(n / 2 ** 20, 1);
  console.log(
    `\nmemory (vault started as \`sessionvault start\`${vaultNodeOptions.length ? ` under node ${vaultNodeOptions.join(" ")}` : ""}): ${upserts.toLocaleString("en")} upserts of 1 KiB sessions expiring after ${ttl}, sweep every 1 s (${fmt(upserts / seconds)} upserts/s, ${main.failed} failed)`,
  );
  console.log(
    `RSS after warm-up ${fmt(baseline / 2 ** 20, 1)} MiB, at the end ${fmt(final / 2 ** 20, 1)} MiB, peak ${fmt(peak / 2 ** 20, 1)} MiB: growth ${fmt(growth * 100, 1)}%`,
  );
  console.log(
    `after a full GC at both ends: RSS ${mib(baselineGc.rss)} -> ${mib(finalGc.rss)} MiB (${fmt(growthGc * 100, 1)}%), JS heap used ${mib(baselineGc.heapUsed)} -> ${mib(finalGc.heapUsed)} MiB, heap reserved ${mib(baselineGc.heapTotal)} -> ${mib(finalGc.heapTotal)} MiB, external ${mib(baselineGc.external)} -> ${mib(finalGc.external)} MiB`,
  );
  if (main.failed) throw new Error(`${main.failed} upserts failed, the first with: ${main.firstFailure}`);
  return { growth, growthGc };
}

/**
 * Runs wrk until the Lua script has counted `limit` replies. wrk's main thread sleeps for
 * the whole -d duration even after a script stops its thread, so the script prints a
 * line when it is done and wrk is interrupted here.
 */
function spawnWrkCount(url, limit, prefix, ttl) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      "wrk",
      ["-t1", `-c${connections}`, "-d3600s", "-s", join(here, "upsert-unique.lua"), `${url}/v2/SessionUpsert`],
      {
        env: {
          ...process.env,
          SV_TOKEN: token,
          SV_DATA: DATA,
          SV_LIMIT: String(limit),
          SV_PREFIX: prefix,
          SV_TTL: ttl,
        },
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    children.add(child);
    let out = "";
    let result = null;
    child.stdout.on("data", (chunk) => {
      out += chunk;
      const m = /upserts-done (\d+) failed (\d+) first-failure (.*)\n/.exec(out);
      if (m && !result) {
        result = { done: Number(m[1]), failed: Number(m[2]), firstFailure: m[3] };
        child.kill("SIGINT");
      }
    });
    child.on("exit", () => {
      children.delete(child);
      if (result) resolve(result);
      else reject(new Error(`wrk did not finish its count:\n${out}`));
    });
  });
}

const ratios = flags["skip-throughput"] ? null : await throughput();
const growth = flags["skip-rss"] ? null : await memory();

const verdict = (ok) => (ok ? "meets goal" : "MISSES goal");
console.log("\nratios");
if (ratios)
  console.log(
    `SessionGet    vault/ceiling ${fmt(ratios.get, 2)}x (goal >= ${GOALS.get}x) ${verdict(ratios.get >= GOALS.get)}; vault/redis ${fmt(ratios["get:redis"], 2)}x; durability "process": ${fmt(ratios["get:process"], 2)}x`,
  );
if (ratios)
  console.log(
    `SessionUpsert vault/ceiling ${fmt(ratios.upsert, 2)}x (goal >= ${GOALS.upsert}x) ${verdict(ratios.upsert >= GOALS.upsert)}; vault/redis ${fmt(ratios["upsert:redis"], 2)}x; durability "process": ${fmt(ratios["upsert:process"], 2)}x (vault/redis ${fmt(ratios["upsert:process:redis"], 2)}x)`,
  );
if (growth !== null) {
  console.log(
    `RSS growth    ${fmt(growth.growth * 100, 1)}% (goal < ${GOALS.rss * 100}%) ${verdict(growth.growth < GOALS.rss)}; after a full GC at both ends ${fmt(growth.growthGc * 100, 1)}%`,
  );
}

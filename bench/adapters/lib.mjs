// Shared pieces of the adapter benchmarks (express.mjs, koa.mjs, fastify.mjs):
// throwaway services, loopback servers, a cookie pool, the wrk runner and the report.
//
// Each benchmark file measures its own baseline in the same run:
//
//   import { benchFlags, listen, measure, printReport, startRedis, startVault } from "./lib.mjs";
//   const flags = benchFlags();
//   const results = [];
//   const app = await listen(myHandler);           // a node:http handler on 127.0.0.1:0
//   results.push(await measure("sessionvault", app.url, flags));
//   await app.close();
//   printReport("koa", results, { subject: "sessionvault", baseline: "redis", goal: 0.75 });
//
// The handler under test must, on GET `path`, read the session's request counter, add one,
// store it, and answer JSON `{ "n": <counter> }`: `measure` checks afterwards that the
// counters grew, i.e. that wrk's cookies really reached existing sessions.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { createVaultClient } from "@sessionvault/client";

export { startRedis, startVault } from "@sessionvault/testkit";

/**
 * Flags shared by every adapter benchmark:
 * `--duration <s>` (default 10), `--warmup <s>` (default 2), `--connections <n>` (default 32),
 * `--threads <n>` (default 1), `--sessions <n>` (cookie pool size, default 64),
 * `--rounds <n>` (rounds of {@link measureInterleaved}, default 3).
 */
export function benchFlags(argv = process.argv.slice(2)) {
  const read = (name, fallback) => {
    const at = argv.indexOf(`--${name}`);
    if (at === -1) return fallback;
    const value = Number(argv[at + 1]);
    if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} needs a positive number`);
    return value;
  };
  return {
    duration: read("duration", 10),
    warmup: read("warmup", 2),
    connections: read("connections", 32),
    threads: read("threads", 1),
    sessions: read("sessions", 64),
    rounds: read("rounds", 3),
  };
}

/** Serves a node:http request handler (an express app, koa's `app.callback()`, ...) on 127.0.0.1:0. */
export async function listen(handler) {
  const server = createServer(handler);
  server.keepAliveTimeout = 60_000;
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Creates `count` sessions by requesting `path` without a cookie, and returns their
 * `Cookie:` header values (name=value of every cookie set), so that wrk replays them.
 */
export async function cookiePool(url, count, path = "/") {
  const cookies = [];
  for (let i = 0; i < count; i++) {
    const res = await fetch(new URL(path, url));
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${url}${path} answered ${res.status} while creating sessions`);
    const header = res.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; ");
    if (!header) throw new Error(`${url}${path} set no cookie: the benchmark would measure new sessions`);
    cookies.push(header);
  }
  return cookies;
}

const luaString = (s) => `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;

function wrkScript(cookies, path) {
  return `
local cookies = { ${cookies.map(luaString).join(", ")} }
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", ${luaString(path)}, { ["Cookie"] = cookies[(n % #cookies) + 1] })
end
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout + summary.errors.status
  io.write("WRK_JSON ")
  io.write(string.format('{"requests":%d,"duration_us":%d,"errors":%d,"non2xx":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d}\\n',
    summary.requests, summary.duration, errors, summary.errors.status,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
`;
}

const median = (values) => {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

function vaultScript(token, op, ids) {
  const bodies = ids.map((id) =>
    luaString(
      JSON.stringify(
        op === "SessionGet" ? { sessionuuid: id } : { sessionuuid: id, set: { n: 1 }, slidingtime: "3600s" },
      ),
    ),
  );
  return `
local bodies = { ${bodies.join(", ")} }
local n = 0
request = function()
  n = n + 1
  return wrk.format("POST", "/v2/${op}", { ["Content-Type"] = "application/json", ["X-Bunker-Token"] = ${luaString(token)} }, bodies[(n % #bodies) + 1])
end
done = function(summary, latency, requests)
  io.write(string.format('WRK_JSON {"requests":%d,"duration_us":%d,"errors":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d}\\n',
    summary.requests, summary.duration, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout + summary.errors.status,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
`;
}

/**
 * The vault's own ceiling for the two calls a read + write request makes (`SessionGet`,
 * `SessionPatch`), measured with wrk straight at the vault over `flags.sessions` sessions:
 * no framework, no adapter, no client; medians over `flags.rounds`. Returns req/s of each and the combined bound
 * `1 / (1/get + 1/patch)` for one read + one write.
 */
export async function measureVaultCeiling(vault, flags) {
  const client = createVaultClient({ baseUrl: vault.url, token: vault.token });
  const ids = Array.from({ length: flags.sessions }, (_, i) => `ceiling-${i}-${randomBytes(16).toString("base64url")}`);
  for (const id of ids) await client.upsertSession(id, { n: 0 }, { slidingtime: "3600s" });
  const dir = mkdtempSync(join(tmpdir(), "sv-bench-"));
  try {
    const rates = { SessionGet: [], SessionPatch: [] };
    const scripts = {};
    for (const op of Object.keys(rates)) {
      scripts[op] = join(dir, `${op}.lua`);
      writeFileSync(scripts[op], vaultScript(vault.token, op, ids));
      await runWrk(vault.url, scripts[op], flags.warmup, flags);
    }
    for (let round = 0; round < flags.rounds; round++) {
      for (const op of Object.keys(rates)) {
        const r = await runWrk(vault.url, scripts[op], flags.duration, flags);
        if (r.errors > 0) throw new Error(`${op} answered ${r.errors} errors while measuring the vault ceiling`);
        rates[op].push(r.requests / (r.duration_us / 1e6));
      }
    }
    const get = median(rates.SessionGet);
    const patch = median(rates.SessionPatch);
    return { get, patch, readWrite: 1 / (1 / get + 1 / patch) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * {@link runWrk}, and the CPU time this process (where the apps under test run) spent
 * meanwhile: app CPU per request does not move with the vault's or redis's speed, or
 * with what else the machine is running, as much as req/s does.
 */
async function runWrkMeasuringCpu(url, script, seconds, flags) {
  const before = process.cpuUsage();
  const r = await runWrk(url, script, seconds, flags);
  const used = process.cpuUsage(before);
  return { r, cpuUs: used.user + used.system };
}

function runWrk(url, script, seconds, flags) {
  return new Promise((resolve, reject) => {
    const args = [
      `-t${flags.threads}`,
      `-c${flags.connections}`,
      `-d${seconds}s`,
      "--timeout",
      "10s",
      "-s",
      script,
      url,
    ];
    const child = spawn("wrk", args, { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => {
      out += d;
    });
    child.stderr.on("data", (d) => {
      err += d;
    });
    child.on("error", reject);
    child.on("close", (code) => {
      const line = out.split("\n").find((l) => l.startsWith("WRK_JSON "));
      if (code !== 0 || !line) {
        reject(new Error(`wrk failed (exit ${code}): ${err || out}`));
        return;
      }
      resolve(JSON.parse(line.slice("WRK_JSON ".length)));
    });
  });
}

/**
 * Measures `url` + `path` with wrk, replaying a pool of session cookies (so every request
 * reads and writes an existing session), after a warm-up run. Returns req/s and latency
 * percentiles in milliseconds.
 */
export async function measure(name, url, flags, { path = "/" } = {}) {
  const cookies = await cookiePool(url, flags.sessions, path);
  const dir = mkdtempSync(join(tmpdir(), "sv-bench-"));
  try {
    const script = join(dir, "cookies.lua");
    writeFileSync(script, wrkScript(cookies, path));
    await runWrk(url, script, flags.warmup, flags);
    const { r, cpuUs } = await runWrkMeasuringCpu(url, script, flags.duration, flags);
    const result = {
      name,
      rps: r.requests / (r.duration_us / 1e6),
      cpuUs: cpuUs / r.requests,
      requests: r.requests,
      errors: r.errors,
      p50: r.p50_us / 1000,
      p90: r.p90_us / 1000,
      p99: r.p99_us / 1000,
      max: r.max_us / 1000,
    };
    await verifySessionsLived(url, path, cookies[0]);
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Like {@link measure} for several servers at once, interleaved: every round measures each
 * target in turn, and each figure is the median over `flags.rounds` rounds. On a machine whose
 * load moves (other jobs, CPU frequency), this keeps a slow minute from landing on one store
 * only. `targets` is `[{ name, url, path? }]`, every server already listening.
 */
export async function measureInterleaved(targets, flags) {
  const dir = mkdtempSync(join(tmpdir(), "sv-bench-"));
  try {
    const prepared = [];
    for (const [i, target] of targets.entries()) {
      const path = target.path ?? "/";
      const cookies = await cookiePool(target.url, flags.sessions, path);
      const script = join(dir, `target-${i}.lua`);
      writeFileSync(script, wrkScript(cookies, path));
      await runWrk(target.url, script, flags.warmup, flags);
      prepared.push({ ...target, path, cookies, script, runs: [] });
    }
    for (let round = 0; round < flags.rounds; round++) {
      for (const target of prepared) {
        const { r, cpuUs } = await runWrkMeasuringCpu(target.url, target.script, flags.duration, flags);
        target.runs.push({
          rps: r.requests / (r.duration_us / 1e6),
          cpuUs: cpuUs / r.requests,
          requests: r.requests,
          errors: r.errors,
          p50: r.p50_us / 1000,
          p90: r.p90_us / 1000,
          p99: r.p99_us / 1000,
          max: r.max_us / 1000,
        });
      }
    }
    const results = [];
    for (const target of prepared) {
      await verifySessionsLived(target.url, target.path, target.cookies[0]);
      const pick = (key) => median(target.runs.map((run) => run[key]));
      results.push({
        name: target.name,
        rps: pick("rps"),
        requests: target.runs.reduce((sum, run) => sum + run.requests, 0),
        errors: target.runs.reduce((sum, run) => sum + run.errors, 0),
        p50: pick("p50"),
        p90: pick("p90"),
        p99: pick("p99"),
        cpuUs: pick("cpuUs"),
        max: Math.max(...target.runs.map((run) => run.max)),
        roundsRps: target.runs.map((run) => run.rps),
      });
    }
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// The handlers count requests per session: a count of 1 would mean the cookie was ignored
// and every request made a new session, which is not what is being measured.
async function verifySessionsLived(url, path, cookie) {
  const res = await fetch(new URL(path, url), { headers: { cookie } });
  const body = await res.text();
  const count = Number(JSON.parse(body).n);
  if (!(count > 2)) throw new Error(`session cookie was not honoured (count ${count})`);
}

const fmt = (n, digits = 1) => n.toFixed(digits).padStart(9);

/**
 * Prints one table and the subject/baseline ratio; returns the ratio. `goal` is the minimum
 * ratio the benchmark promises; a miss is printed, not thrown (the figures are the product).
 */
export function printReport(title, results, { subject, baseline, goal }) {
  console.log(`\n${title}: session read + write per request`);
  console.log(`${"store".padEnd(40)}     req/s   p50 ms   p90 ms   p99 ms   errors  app µs/req`);
  for (const r of results) {
    const rounds = r.roundsRps ? `   rounds: ${r.roundsRps.map((x) => x.toFixed(0)).join(" / ")}` : "";
    const cpu = r.cpuUs === undefined ? "".padStart(12) : fmt(r.cpuUs, 0).padStart(12);
    console.log(
      `${r.name.padEnd(40)}${fmt(r.rps, 0)}${fmt(r.p50, 2)}${fmt(r.p90, 2)}${fmt(r.p99, 2)}${String(r.errors).padStart(9)}${cpu}${rounds}`,
    );
  }
  const a = results.find((r) => r.name === subject);
  const b = results.find((r) => r.name === baseline);
  if (!a || !b) return undefined;
  const ratio = a.rps / b.rps;
  const verdict = goal === undefined ? "" : ratio >= goal ? `  (goal >= ${goal}: met)` : `  (goal >= ${goal}: MISSED)`;
  console.log(`ratio ${subject} / ${baseline}: ${ratio.toFixed(2)}x${verdict}`);
  if (a.cpuUs !== undefined && b.cpuUs !== undefined) {
    console.log(`app CPU per request: ${subject} ${a.cpuUs.toFixed(0)} µs, ${baseline} ${b.cpuUs.toFixed(0)} µs`);
  }
  for (const r of results) {
    if (r !== a && r !== b) console.log(`ratio ${r.name} / ${baseline}: ${(r.rps / b.rps).toFixed(2)}x`);
  }
  return ratio;
}

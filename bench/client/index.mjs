// Time per getSession through @sessionvault/client against the identical request made
// with raw fetch, in one run, at concurrency 1 and 64.
//
// A node:http server in a child process answers POST /v2/SessionGet with a fixed JSON
// body, so its work is billed to neither mode. Each round runs both modes back to back,
// alternating which goes first; the ratio is taken per round and the median reported,
// so bursts of load from other processes on the machine hit both modes of a round alike
// and do not decide the result. The aggregate over all rounds is printed as well, and
// the CPU time this process spent per call (less sensitive to other processes' load).
//
//   node bench/client/index.mjs [--rounds N] [--ops N] [--strict]
//
// Rounds are short (25 calls per mode at concurrency 1, 256 at 64, by default) so
// that the two halves of a round see the same machine; --rounds and --ops override.
// --strict exits 1 when a ratio misses its goal.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createVaultClient } from "@sessionvault/client";

const args = process.argv.slice(2);
const numberFlag = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(args[i + 1]);
};
const SHAPE = {
  1: { rounds: numberFlag("rounds", 240), ops: numberFlag("ops", 25) },
  64: { rounds: numberFlag("rounds", 100), ops: numberFlag("ops", 256) },
};
const STRICT = args.includes("--strict");
const GOALS = { 1: 1.15, 64: 1.1 };
const SESSION_ID = "bench-session-0123456789abcdef";
const TOKEN = "bench-token";

const serverSource = `
  const http = require("node:http");
  const body = JSON.stringify({
    status: "ok",
    sessiondata: { user: "u-1842", role: "member", cart: ["sku-1", "sku-2"], csrf: "c5f1a2b3d4e5f6a7", locale: "en-GB" },
    version: 7, created: 1763700000000, lastused: 1763703600000, expires: 1763705400000, usertoken: null,
  });
  const length = Buffer.byteLength(body);
  const server = http.createServer((req, res) => {
    const ok = req.method === "POST" && req.url === "/v2/SessionGet" && req.headers["x-bunker-token"] === ${JSON.stringify(TOKEN)};
    req.resume();
    req.on("end", () => {
      if (!ok) return res.writeHead(404, { "content-type": "application/json" }).end('{"status":"error","message":"not found"}');
      res.writeHead(200, { "content-type": "application/json", "content-length": length }).end(body);
    });
  });
  server.keepAliveTimeout = 60000;
  server.listen(0, "127.0.0.1", () => console.log(server.address().port));
  process.on("disconnect", () => process.exit(0));
`;
const server = spawn(process.execPath, ["-e", serverSource], { stdio: ["ignore", "pipe", "inherit", "ipc"] });
const [portLine] = await once(server.stdout, "data");
const baseUrl = `http://127.0.0.1:${Number(String(portLine).trim())}`;

const vault = createVaultClient({ baseUrl, token: TOKEN });

// The request the client sends, made by hand: same method, URL, headers and body, and
// the reply read as JSON. No timeout, no status or shape checks: the cheapest correct call.
const rawUrl = `${baseUrl}/v2/SessionGet`;
const rawHeaders = { "content-type": "application/json", accept: "application/json", "x-bunker-token": TOKEN };
const rawGetSession = async (id) => {
  const response = await fetch(rawUrl, {
    method: "POST",
    headers: rawHeaders,
    body: JSON.stringify({ sessionuuid: id }),
  });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return (await response.json()).sessiondata;
};

// For reference, not for the goal: the same hand-made call with the fetch options the
// client uses (redirects refused, which lets Node's fetch skip a request clone, and a
// per-attempt timeout signal). The client/tuned ratio is what openapi-fetch and the facade add.
const tunedGetSession = async (id) => {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 5000);
  try {
    const response = await fetch(rawUrl, {
      method: "POST",
      headers: rawHeaders,
      body: JSON.stringify({ sessionuuid: id }),
      redirect: "error",
      window: null,
      signal: controller.signal,
    });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return (await response.json()).sessiondata;
  } finally {
    clearTimeout(timer);
  }
};

const modes = {
  client: async () => {
    const session = await vault.getSession(SESSION_ID);
    if (session === null) throw new Error("missing session");
  },
  raw: async () => {
    await rawGetSession(SESSION_ID);
  },
  tuned: async () => {
    await tunedGetSession(SESSION_ID);
  },
};

async function run(op, ops, concurrency) {
  let started = 0;
  const lane = async () => {
    while (started < ops) {
      started++;
      await op();
    }
  };
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  await Promise.all(Array.from({ length: concurrency }, lane));
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  const used = process.cpuUsage(cpu);
  return { wallMs, cpuMs: (used.user + used.system) / 1000 };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const fmt = (n, digits = 1) => n.toFixed(digits);

let missed = false;
console.log(
  `node ${process.version}; getSession, raw fetch and tuned fetch in interleaved rounds; the server runs in its own process`,
);
for (const concurrency of [1, 64]) {
  const { rounds: ROUNDS, ops: OPS } = SHAPE[concurrency];
  // Warm both paths (JIT, connection pool) before measuring.
  for (let i = 0; i < 2; i++) for (const op of Object.values(modes)) await run(op, 1000, concurrency);
  const names = Object.keys(modes);
  const totals = Object.fromEntries(names.map((name) => [name, { wallMs: 0, cpuMs: 0 }]));
  const wallRatios = [];
  const cpuRatios = [];
  const tunedRatios = [];
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? names : [...names].reverse();
    const result = {};
    for (const name of order) result[name] = await run(modes[name], OPS, concurrency);
    for (const name of order) {
      totals[name].wallMs += result[name].wallMs;
      totals[name].cpuMs += result[name].cpuMs;
    }
    wallRatios.push(result.client.wallMs / result.raw.wallMs);
    cpuRatios.push(result.client.cpuMs / result.raw.cpuMs);
    tunedRatios.push(result.client.wallMs / result.tuned.wallMs);
  }
  const calls = OPS * ROUNDS;
  const ratio = median(wallRatios);
  const goal = GOALS[concurrency];
  const met = ratio <= goal;
  if (!met) missed = true;
  console.log(`\nconcurrency ${concurrency}: ${ROUNDS} rounds x ${OPS} calls per mode`);
  for (const name of names) {
    const { wallMs, cpuMs } = totals[name];
    console.log(
      `  ${name.padEnd(6)} ${String(Math.round(calls / (wallMs / 1000))).padStart(7)} ops/s  ` +
        `${fmt((wallMs * 1000) / calls)} µs/op  cpu ${fmt((cpuMs * 1000) / calls)} µs/op`,
    );
  }
  console.log(
    `  client/raw time ratio ${fmt(ratio, 3)} (median of ${ROUNDS} rounds; all rounds together ` +
      `${fmt(totals.client.wallMs / totals.raw.wallMs, 3)}); cpu ratio ${fmt(median(cpuRatios), 3)}`,
  );
  console.log(`  goal: ratio <= ${fmt(goal, 2)} at concurrency ${concurrency}: ${met ? "met" : "MISSED"}`);
  console.log(
    `  for reference, client/tuned time ratio ${fmt(median(tunedRatios), 3)} (what openapi-fetch and the facade add)`,
  );
}

server.disconnect();
process.exit(STRICT && missed ? 1 : 0);

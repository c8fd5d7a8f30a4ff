// Time per getSession through @sessionvault/client against the identical request made
// with raw fetch, in one run, at concurrency 1 and 64.
//
// A node:http server in a worker thread answers /v2/SessionGet with a fixed JSON body
// (its own thread, so its work is not billed to either mode). Rounds interleave the
// two modes and alternate which goes first, so drift in machine load hits both alike.
//
//   node bench/client/index.mjs [--rounds 10] [--ops 4000] [--strict]
//
// --strict exits 1 when a ratio misses its goal.
import { Worker } from "node:worker_threads";
import { createVaultClient } from "@sessionvault/client";

const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(args[i + 1]);
};
const ROUNDS = flag("rounds", 10);
const OPS = flag("ops", 4000);
const STRICT = args.includes("--strict");
const GOALS = { 1: 1.15, 64: 1.1 };
const SESSION_ID = "bench-session-0123456789abcdef";
const TOKEN = "bench-token";

const serverSource = `
  const http = require("node:http");
  const { parentPort } = require("node:worker_threads");
  const body = JSON.stringify({
    status: "ok",
    sessiondata: { user: "u-1842", role: "member", cart: ["sku-1", "sku-2"], csrf: "c5f1a2b3d4e5f6a7", locale: "en-GB" },
    version: 7, created: 1763700000000, lastused: 1763703600000, expires: 1763705400000, usertoken: null,
  });
  const server = http.createServer((req, res) => {
    if (req.method !== "POST" || req.url !== "/v2/SessionGet" || req.headers["x-bunker-token"] !== "${TOKEN}") {
      res.writeHead(404, { "content-type": "application/json" }).end('{"status":"error","message":"not found"}');
      return;
    }
    req.resume();
    req.on("end", () => {
      res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) }).end(body);
    });
  });
  server.keepAliveTimeout = 60000;
  server.listen(0, "127.0.0.1", () => parentPort.postMessage(server.address().port));
`;

const worker = new Worker(serverSource, { eval: true });
const port = await new Promise((resolve, reject) => {
  worker.once("message", resolve);
  worker.once("error", reject);
});
const baseUrl = `http://127.0.0.1:${port}`;

const vault = createVaultClient({ baseUrl, token: TOKEN });

// The same request the client sends: same method, URL, headers and body.
const rawUrl = `${baseUrl}/v2/SessionGet`;
const rawHeaders = { "content-type": "application/json", accept: "application/json", "x-bunker-token": TOKEN };
async function rawGetSession(id) {
  const response = await fetch(rawUrl, {
    method: "POST",
    headers: rawHeaders,
    body: JSON.stringify({ sessionuuid: id }),
  });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return (await response.json()).sessiondata;
}

const modes = {
  client: async () => {
    const session = await vault.getSession(SESSION_ID);
    if (session === null) throw new Error("missing session");
  },
  raw: async () => {
    await rawGetSession(SESSION_ID);
  },
};

async function run(op, ops, concurrency) {
  let next = 0;
  const lane = async () => {
    while (next < ops) {
      next++;
      await op();
    }
  };
  const start = process.hrtime.bigint();
  await Promise.all(Array.from({ length: concurrency }, lane));
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

let missed = false;
console.log(`node ${process.version}, ${ROUNDS} rounds x ${OPS} getSession per mode and concurrency`);
for (const concurrency of [1, 64]) {
  // Warm up both paths (JIT, connection pool) before measuring.
  for (const op of Object.values(modes)) await run(op, Math.min(OPS, 2000), concurrency);
  const totals = { client: 0, raw: 0 };
  const roundRatios = [];
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? ["client", "raw"] : ["raw", "client"];
    const ms = {};
    for (const name of order) ms[name] = await run(modes[name], OPS, concurrency);
    totals.client += ms.client;
    totals.raw += ms.raw;
    roundRatios.push(ms.client / ms.raw);
  }
  const opsPerSec = (total) => Math.round((OPS * ROUNDS) / (total / 1000));
  const ratio = totals.client / totals.raw;
  const goal = GOALS[concurrency];
  const ok = ratio <= goal;
  if (!ok) missed = true;
  console.log(`\nconcurrency ${concurrency}`);
  console.log(
    `  client  ${opsPerSec(totals.client).toString().padStart(7)} ops/s  ${((totals.client * 1000) / (OPS * ROUNDS)).toFixed(1)} µs/op`,
  );
  console.log(
    `  raw     ${opsPerSec(totals.raw).toString().padStart(7)} ops/s  ${((totals.raw * 1000) / (OPS * ROUNDS)).toFixed(1)} µs/op`,
  );
  console.log(`  client/raw ratio ${ratio.toFixed(3)} (median of rounds ${median(roundRatios).toFixed(3)})`);
  console.log(`  goal <= ${goal.toFixed(2)}: ${ok ? "met" : "MISSED"}`);
}

await worker.terminate();
process.exit(STRICT && missed ? 1 : 0);

// koa + koa-session, one session read + write per request, in one run:
// (a) @sessionvault/koa on a real vault (SQLite), (b) koa-redis on a local redis-server,
// (c) koa-session's default cookie store (no server-side store at all), and (d) koa-redis on a
// redis-server with `appendfsync always`, the baseline that, like the vault, acknowledges a
// write only once it is on disk. Prints req/s, latency and the ratios to (b).
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateSessionId, VaultStore } from "@sessionvault/koa";
import Koa from "koa";
import redisStore from "koa-redis";
import session from "koa-session";
import {
  benchFlags,
  cookiePool,
  listen,
  measure,
  measureVaultCeiling,
  printReport,
  startRedis,
  startVault,
} from "./lib.mjs";

const flags = benchFlags();

function counterApp(store) {
  const app = new Koa();
  app.keys = ["bench signing key"];
  app.use(session({ key: "sv.sess", maxAge: 3_600_000, ...(store ? { store, genid: generateSessionId } : {}) }, app));
  app.use((ctx) => {
    ctx.session.n = (ctx.session.n ?? 0) + 1;
    ctx.body = { n: ctx.session.n };
  });
  return app;
}

async function run(name, store) {
  const server = await listen(counterApp(store).callback());
  try {
    return await measure(name, server.url, flags);
  } finally {
    await server.close();
  }
}

// The cookie store keeps the session in the cookie itself, so replayed cookies cannot show a
// growing counter (the check `measure` makes); this runs the same wrk load without it.
async function runCookieStore(name) {
  const server = await listen(counterApp(undefined).callback());
  const dir = mkdtempSync(join(tmpdir(), "sv-bench-koa-"));
  try {
    const cookies = await cookiePool(server.url, flags.sessions);
    const script = join(dir, "cookies.lua");
    const quoted = cookies.map((c) => `"${c.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`).join(", ");
    writeFileSync(
      script,
      `local cookies = { ${quoted} }
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", "/", { ["Cookie"] = cookies[(n % #cookies) + 1] })
end
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout + summary.errors.status
  io.write(string.format('WRK_JSON {"requests":%d,"duration_us":%d,"errors":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d}\\n',
    summary.requests, summary.duration, errors, latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
`,
    );
    const wrk = (seconds) =>
      new Promise((resolve, reject) => {
        const args = [
          `-t${flags.threads}`,
          `-c${flags.connections}`,
          `-d${seconds}s`,
          "--timeout",
          "10s",
          "-s",
          script,
        ];
        const child = spawn("wrk", [...args, server.url], { stdio: ["ignore", "pipe", "inherit"] });
        let out = "";
        child.stdout.on("data", (d) => {
          out += d;
        });
        child.on("error", reject);
        child.on("close", (code) => {
          const line = out.split("\n").find((l) => l.startsWith("WRK_JSON "));
          if (code !== 0 || !line) reject(new Error(`wrk failed (exit ${code})`));
          else resolve(JSON.parse(line.slice("WRK_JSON ".length)));
        });
      });
    await wrk(flags.warmup);
    const r = await wrk(flags.duration);
    return {
      name,
      rps: r.requests / (r.duration_us / 1e6),
      requests: r.requests,
      errors: r.errors,
      p50: r.p50_us / 1000,
      p90: r.p90_us / 1000,
      p99: r.p99_us / 1000,
      max: r.max_us / 1000,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await server.close();
  }
}

const results = [];
let ceiling;
const vault = await startVault();
const redis = await startRedis();
const durableRedis = await startRedis({ appendOnly: true });
const redisSessions = redisStore({ url: redis.url });
const durableRedisSessions = redisStore({ url: durableRedis.url });
try {
  console.log(
    `wrk: ${flags.threads} thread(s), ${flags.connections} connections, ${flags.duration}s (+${flags.warmup}s warm-up), ${flags.sessions} sessions`,
  );
  results.push(
    await run("sessionvault (koa, vault sqlite)", new VaultStore({ baseUrl: vault.url, token: vault.token })),
  );
  results.push(await run("koa-redis (redis-server)", redisSessions));
  results.push(await runCookieStore("koa-session cookie store"));
  results.push(await run("koa-redis (appendfsync always)", durableRedisSessions));
  ceiling = await measureVaultCeiling(vault, flags);
} finally {
  await redisSessions.quit();
  await durableRedisSessions.quit();
  await redis.stop();
  await durableRedis.stop();
  await vault.stop();
}

printReport("koa", results, {
  subject: "sessionvault (koa, vault sqlite)",
  baseline: "koa-redis (redis-server)",
  goal: 0.75,
});

if (ceiling) {
  const subject = results[0];
  console.log(
    `vault alone (wrk straight at it, no app): SessionGet ${ceiling.get.toFixed(0)}/s, SessionPatch ${ceiling.patch.toFixed(0)}/s` +
      ` -> at most ${ceiling.readWrite.toFixed(0)} read+write req/s; the koa adapter reached ${((100 * subject.rps) / ceiling.readWrite).toFixed(0)}% of that`,
  );
}

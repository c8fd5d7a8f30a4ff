// fastify + @fastify/session (+ @fastify/cookie), one session read + write per request, in
// one run: (a) @sessionvault/fastify on a real vault (SQLite), (b) connect-redis on a local
// redis-server, (c) @fastify/session's MemoryStore, and (d) connect-redis on a redis-server
// with `appendfsync always`, the baseline that, like the vault, acknowledges a write only once
// it is on disk. @fastify/session's defaults (rolling, saveUninitialized) stay on, as most
// apps run them. Prints req/s, latency and the ratios to (b).
import fastifyCookie from "@fastify/cookie";
import fastifySession from "@fastify/session";
import { VaultStore } from "@sessionvault/fastify";
import { RedisStore } from "connect-redis";
import Fastify from "fastify";
import { createClient } from "redis";
import { benchFlags, listen, measure, measureVaultCeiling, printReport, startRedis, startVault } from "./lib.mjs";

const flags = benchFlags();

async function counterApp(store) {
  const app = Fastify();
  await app.register(fastifyCookie);
  await app.register(fastifySession, {
    ...(store ? { store } : {}),
    secret: "a bench secret of at least thirty-two characters",
    cookieName: "sv.sid",
    cookie: { maxAge: 3_600_000, secure: false },
  });
  app.get("/", async (request) => {
    const n = (request.session.get("n") ?? 0) + 1;
    request.session.set("n", n);
    return { n };
  });
  await app.ready();
  return app;
}

async function run(name, store) {
  const app = await counterApp(store);
  const server = await listen((req, res) => app.routing(req, res));
  try {
    return await measure(name, server.url, flags);
  } finally {
    await server.close();
    await app.close();
  }
}

const results = [];
let ceiling;
const vault = await startVault();
const redis = await startRedis();
const redisClient = createClient({ url: redis.url });
await redisClient.connect();
const durableRedis = await startRedis({ appendOnly: true });
const durableRedisClient = createClient({ url: durableRedis.url });
await durableRedisClient.connect();
try {
  console.log(
    `wrk: ${flags.threads} thread(s), ${flags.connections} connections, ${flags.duration}s (+${flags.warmup}s warm-up), ${flags.sessions} sessions`,
  );
  results.push(
    await run("sessionvault (fastify, vault sqlite)", new VaultStore({ baseUrl: vault.url, token: vault.token })),
  );
  results.push(await run("connect-redis (redis-server)", new RedisStore({ client: redisClient })));
  results.push(await run("@fastify/session MemoryStore", undefined));
  results.push(await run("connect-redis (appendfsync always)", new RedisStore({ client: durableRedisClient })));
  ceiling = await measureVaultCeiling(vault, flags);
} finally {
  await redisClient.quit();
  await redis.stop();
  await durableRedisClient.quit();
  await durableRedis.stop();
  await vault.stop();
}

printReport("fastify", results, {
  subject: "sessionvault (fastify, vault sqlite)",
  baseline: "connect-redis (redis-server)",
  goal: 0.75,
});

if (ceiling) {
  const subject = results[0];
  console.log(
    `vault alone (wrk straight at it, no app): SessionGet ${ceiling.get.toFixed(0)}/s, SessionPatch ${ceiling.patch.toFixed(0)}/s` +
      ` -> at most ${ceiling.readWrite.toFixed(0)} read+write req/s; the fastify adapter reached ${((100 * subject.rps) / ceiling.readWrite).toFixed(0)}% of that`,
  );
}

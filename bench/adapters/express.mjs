// express + express-session, one session read + write per request, four stores in one run:
// (a) @sessionvault/express on a real vault (SQLite), (b) connect-redis on a local
// redis-server, (c) express-session's MemoryStore, (d) @databunker/session-store against
// the vault's Databunker-compatible v1 routes; and (e) connect-redis on a redis-server with
// `appendfsync always`, the one baseline that, like the vault, acknowledges a write only once
// it is on disk. Prints req/s, latency and the ratios to (b).
import { randomUUID } from "node:crypto";
import databunkerSessionStore from "@databunker/session-store";
import { VaultStore } from "@sessionvault/express";
import { RedisStore } from "connect-redis";
import express from "express";
import session from "express-session";
import { createClient } from "redis";
import { benchFlags, listen, measure, measureVaultCeiling, printReport, startRedis, startVault } from "./lib.mjs";

const flags = benchFlags();

function counterApp(store, genid) {
  const app = express();
  app.disable("x-powered-by");
  app.disable("etag");
  app.use(
    session({
      store,
      secret: "bench secret",
      resave: false,
      saveUninitialized: false,
      ...(genid ? { genid } : {}),
      cookie: { maxAge: 3_600_000 },
    }),
  );
  app.get("/", (req, res) => {
    req.session.n = (req.session.n ?? 0) + 1;
    res.json({ n: req.session.n });
  });
  return app;
}

async function run(name, store, genid) {
  const server = await listen(counterApp(store, genid));
  try {
    return await measure(name, server.url, flags);
  } finally {
    await server.close();
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
    await run("sessionvault (express, vault sqlite)", new VaultStore({ baseUrl: vault.url, token: vault.token })),
  );
  results.push(await run("connect-redis (redis-server)", new RedisStore({ client: redisClient })));
  results.push(await run("MemoryStore", new session.MemoryStore()));
  const DatabunkerStore = databunkerSessionStore(session);
  results.push(
    await run(
      "@databunker/session-store (vault v1)",
      new DatabunkerStore({ url: vault.url, token: vault.token }),
      // Databunker's v1 routes take UUID session ids.
      () => randomUUID(),
    ),
  );
  results.push(await run("connect-redis (appendfsync always)", new RedisStore({ client: durableRedisClient })));
  ceiling = await measureVaultCeiling(vault, flags);
} finally {
  await redisClient.quit();
  await redis.stop();
  await durableRedisClient.quit();
  await durableRedis.stop();
  await vault.stop();
}

printReport("express", results, {
  subject: "sessionvault (express, vault sqlite)",
  baseline: "connect-redis (redis-server)",
  goal: 0.75,
});

if (ceiling) {
  const subject = results[0];
  console.log(
    `vault alone (wrk straight at it, no app): SessionGet ${ceiling.get.toFixed(0)}/s, SessionPatch ${ceiling.patch.toFixed(0)}/s` +
      ` -> at most ${ceiling.readWrite.toFixed(0)} read+write req/s; the express adapter reached ${((100 * subject.rps) / ceiling.readWrite).toFixed(0)}% of that`,
  );
}

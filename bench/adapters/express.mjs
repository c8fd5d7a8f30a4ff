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
import {
  benchFlags,
  listen,
  measureInterleaved,
  measureVaultCeiling,
  printReport,
  startRedis,
  startVault,
} from "./lib.mjs";

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

const SUBJECT = "sessionvault (express, vault sqlite)";
const BASELINE = "connect-redis (redis-server)";

let results = [];
let ceiling;
const servers = [];
const vault = await startVault();
const redis = await startRedis();
const redisClient = createClient({ url: redis.url });
await redisClient.connect();
const durableRedis = await startRedis({ appendOnly: true });
const durableRedisClient = createClient({ url: durableRedis.url });
await durableRedisClient.connect();
try {
  console.log(
    `wrk: ${flags.threads} thread(s), ${flags.connections} connections, ${flags.rounds} interleaved rounds of ${flags.duration}s (+${flags.warmup}s warm-up), ${flags.sessions} sessions; medians`,
  );
  const DatabunkerStore = databunkerSessionStore(session);
  const stores = [
    [SUBJECT, new VaultStore({ baseUrl: vault.url, token: vault.token })],
    [BASELINE, new RedisStore({ client: redisClient })],
    ["MemoryStore", new session.MemoryStore()],
    // Databunker's v1 routes take UUID session ids.
    [
      "@databunker/session-store (vault v1)",
      new DatabunkerStore({ url: vault.url, token: vault.token }),
      () => randomUUID(),
    ],
    ["connect-redis (appendfsync always)", new RedisStore({ client: durableRedisClient })],
  ];
  const targets = [];
  for (const [name, store, genid] of stores) {
    const server = await listen(counterApp(store, genid));
    servers.push(server);
    targets.push({ name, url: server.url });
  }
  results = await measureInterleaved(targets, flags);
  ceiling = await measureVaultCeiling(vault, flags);
} finally {
  for (const server of servers) await server.close();
  await redisClient.quit();
  await redis.stop();
  await durableRedisClient.quit();
  await durableRedis.stop();
  await vault.stop();
}

printReport("express", results, { subject: SUBJECT, baseline: BASELINE, goal: 0.75 });

if (ceiling) {
  const subject = results.find((r) => r.name === SUBJECT);
  console.log(
    `vault alone (wrk straight at it, no app): SessionGet ${ceiling.get.toFixed(0)}/s, SessionPatch ${ceiling.patch.toFixed(0)}/s` +
      ` -> at most ${ceiling.readWrite.toFixed(0)} read+write req/s; the express adapter reached ${((100 * subject.rps) / ceiling.readWrite).toFixed(0)}% of that`,
  );
}

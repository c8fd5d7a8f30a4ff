import { Agent, request } from "node:http";
import { DatabaseSync } from "node:sqlite";
import { Redis } from "ioredis";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StorageConfig } from "../../src/storage/index.js";
import { DRIVERS, type DriverName, driverServices, TOKEN } from "../hardening/drivers.js";
import { sessionId } from "../storage/vault-http.js";

const services = driverServices();
beforeAll(() => services.start(), 120_000);
afterAll(() => services.stop(), 60_000);

/** Loopback addresses in four different /24 networks (all of 127/8 reaches the vault on Linux). */
const FLOOD_ADDRESSES = ["127.0.1.1", "127.0.2.1", "127.0.3.1", "127.0.4.1"];

/** POSTs `count` requests from `localAddress`, `concurrency` at a time; returns the statuses seen. */
async function flood(
  url: string,
  localAddress: string,
  count: number,
  headers: Record<string, string>,
  concurrency = 16,
): Promise<Map<number, number>> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency, localAddress });
  const target = new URL(`${url}/v2/SessionGet`);
  const body = JSON.stringify({ sessionuuid: "flood-session-0001" });
  const statuses = new Map<number, number>();
  let next = 0;
  const one = () =>
    new Promise<void>((resolve, reject) => {
      const req = request(
        {
          agent,
          host: target.hostname,
          port: target.port,
          path: target.pathname,
          method: "POST",
          headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body), ...headers },
        },
        (res) => {
          statuses.set(res.statusCode ?? 0, (statuses.get(res.statusCode ?? 0) ?? 0) + 1);
          res.resume();
          res.on("end", resolve);
        },
      );
      req.on("error", reject);
      req.end(body);
    });
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        next++;
        await one();
      }
    }),
  );
  agent.destroy();
  return statuses;
}

/** The bytes the audit occupies in the storage itself (tables with their indexes, or Redis keys). */
async function storedAuditBytes(storage: StorageConfig): Promise<number> {
  if (storage.driver === "sqlite") {
    const db = new DatabaseSync(storage.path, { readOnly: true });
    try {
      const row = db
        .prepare(
          `SELECT
             (SELECT coalesce(sum(length(at) + length(actor) + length(action) + coalesce(length(target), 0)
               + length(outcome) + coalesce(length(tenant), 0) + coalesce(length(metadata), 0) + 8), 0) FROM audit)
           + (SELECT coalesce(sum(length(minute) + length(network) + length(reason) + length(count)
               + length(first_at) + length(last_at) + 8), 0) FROM audit_denied) AS n`,
        )
        .get() as { n: number };
      return Number(row.n);
    } finally {
      db.close();
    }
  }
  if (storage.driver === "postgres") {
    const client = new pg.Client({ connectionString: storage.url });
    await client.connect();
    try {
      const prefix = storage.tablePrefix ?? "sv_";
      const r = await client.query(
        `SELECT pg_total_relation_size($1::regclass) + pg_total_relation_size($2::regclass) AS n`,
        [`${prefix}audit`, `${prefix}audit_denied`],
      );
      return Number((r.rows[0] as { n: string }).n);
    } finally {
      await client.end();
    }
  }
  const redis = new Redis(storage.url);
  try {
    const prefix = storage.keyPrefix ?? "sv:";
    let total = 0;
    for (const key of ["audit", "audit:seq", "audit:denied", "audit:denied:order", "audit:denied:order:seq"]) {
      total += Number((await redis.call("MEMORY", "USAGE", `${prefix}${key}`)) ?? 0);
    }
    return total;
  } finally {
    redis.disconnect();
  }
}

/**
 * Makes storing into `table` fail (or work again), by means of the storage itself: a
 * refusing trigger on SQLite, a failing constraint on PostgreSQL, and on Redis a key of
 * another type at `redisKey`, a key the write's script needs.
 */
async function refuseWrites(
  storage: StorageConfig,
  table: "audit" | "records",
  redisKey: string,
  broken: boolean,
): Promise<void> {
  if (storage.driver === "sqlite") {
    const db = new DatabaseSync(storage.path);
    try {
      // The vault may still be committing the previous call's audit event: wait for its lock.
      db.exec("PRAGMA busy_timeout = 5000");
      db.exec(
        broken
          ? `CREATE TRIGGER refuse_${table} BEFORE INSERT ON ${table} BEGIN SELECT RAISE(ABORT, '${table} refused'); END`
          : `DROP TRIGGER refuse_${table}`,
      );
    } finally {
      db.close();
    }
    return;
  }
  if (storage.driver === "postgres") {
    const client = new pg.Client({ connectionString: storage.url });
    await client.connect();
    const name = `${storage.tablePrefix ?? "sv_"}${table}`;
    try {
      await client.query(
        broken
          ? `ALTER TABLE ${name} ADD CONSTRAINT refuse_${table} CHECK (false) NOT VALID`
          : `ALTER TABLE ${name} DROP CONSTRAINT refuse_${table}`,
      );
    } finally {
      await client.end();
    }
    return;
  }
  const redis = new Redis(storage.url);
  const key = `${storage.keyPrefix ?? "sv:"}${redisKey}`;
  try {
    if (broken) {
      if (await redis.exists(key)) await redis.rename(key, `${key}:kept`);
      await redis.set(key, `not what the ${table} write expects`);
    } else {
      await redis.del(key);
      if (await redis.exists(`${key}:kept`)) await redis.rename(`${key}:kept`, key);
    }
  } finally {
    redis.disconnect();
  }
}

/** Makes storing an audit event fail (or work again). */
const breakAudit = (storage: StorageConfig, broken: boolean) => refuseWrites(storage, "audit", "audit", broken);
/** Makes storing a record fail (or work again); on Redis through the expiry queue (`x`). */
const breakRecords = (storage: StorageConfig, broken: boolean) => refuseWrites(storage, "records", "x", broken);

describe.each(DRIVERS)("audit on %s", (driver: DriverName) => {
  it("a flood of refused requests adds a handful of counted rows, and every refusal is counted", async () => {
    const group = services.group(driver);
    try {
      const { vault, url, call } = await group.instance();
      for (let i = 0; i < 3; i++) {
        expect((await call("SessionUpsert", { sessionuuid: sessionId("flood"), sessiondata: { i } })).status).toBe(200);
      }
      const perAddress = 20_000 / FLOOD_ADDRESSES.length;
      const started = performance.now();
      const results = await Promise.all(
        FLOOD_ADDRESSES.flatMap((address) => [
          flood(url, address, perAddress, {}),
          flood(url, address, perAddress, { "x-bunker-token": "wrong-token-0123456789abcdef" }),
        ]),
      );
      const seconds = (performance.now() - started) / 1000;
      const statuses = new Map<number, number>();
      for (const result of results) for (const [s, n] of result) statuses.set(s, (statuses.get(s) ?? 0) + n);
      expect(Object.fromEntries(statuses)).toEqual({ 403: 40_000 });

      const events = await vault.readAudit(0, 100_000);
      const denied = await vault.readDenied(0, 100_000);
      expect(events.map((e) => [e.action, e.outcome])).toEqual([
        ["SessionUpsert", "ok"],
        ["SessionUpsert", "ok"],
        ["SessionUpsert", "ok"],
      ]);
      // Complete: every refusal is counted, per network and reason.
      expect(denied.reduce((sum, d) => sum + d.count, 0)).toBe(40_000);
      for (const address of FLOOD_ADDRESSES) {
        const network = address.replace(/\.\d+$/, ".0/24");
        for (const reason of ["missing_token", "invalid_token"]) {
          const rows = denied.filter((d) => d.network === network && d.reason === reason);
          expect(rows.reduce((sum, d) => sum + d.count, 0)).toBe(perAddress);
        }
      }
      // Bounded: one row per network, reason and minute (the flood may cross one minute).
      expect(denied.length).toBeLessThanOrEqual(FLOOD_ADDRESSES.length * 2 * 2);
      const rows = events.length + denied.length;
      const bytes = JSON.stringify(events).length + JSON.stringify(denied).length;
      const stored = await storedAuditBytes(group.storage);
      console.log(
        `audit-flood driver=${driver} requests=40000 seconds=${seconds.toFixed(1)} rows=${rows} (events=${events.length} denied=${denied.length}) bytes=${bytes} storedBytes=${stored}`,
      );
      expect(bytes).toBeLessThan(10_000);
    } finally {
      await group.close();
    }
  }, 240_000);

  it("the audit never holds more than its caps: the oldest events and denied aggregates go first", async () => {
    const group = services.group(driver);
    try {
      const { vault, url, call } = await group.instance({ audit: { maxEvents: 25, maxDenied: 5 } });
      const ids: string[] = [];
      for (let i = 0; i < 80; i++) {
        const id = sessionId("cap");
        ids.push(id);
        expect((await call("SessionUpsert", { sessionuuid: id, sessiondata: { i } })).status).toBe(200);
        if (i % 20 === 19) expect((await vault.readAudit(0, 1000)).length).toBeLessThanOrEqual(25);
      }
      // Events written on their own (no write applied) are capped too.
      for (let i = 0; i < 10; i++) await call("SessionDelete", { sessionuuid: sessionId("missing") });
      const events = await vault.readAudit(0, 1000);
      expect(events.length).toBe(25);
      expect(events.at(-1)!.action).toBe("SessionDelete");
      expect(events.filter((e) => e.action === "SessionUpsert").length).toBe(15);

      for (let n = 0; n < 12; n++) {
        await flood(url, `127.0.${10 + n}.1`, 2, {}, 1);
        await vault.readDenied();
        expect((await vault.readDenied(0, 1000)).length).toBeLessThanOrEqual(5);
      }
      const denied = await vault.readDenied(0, 1000);
      expect(denied.map((d) => d.network).sort()).toEqual(
        ["127.0.17.0/24", "127.0.18.0/24", "127.0.19.0/24", "127.0.20.0/24", "127.0.21.0/24"].sort(),
      );
    } finally {
      await group.close();
    }
  });

  it("a write whose audit event cannot be stored is not applied, and the caller gets an error", async () => {
    const group = services.group(driver);
    try {
      const { vault, call } = await group.instance();
      const kept = sessionId("kept");
      expect((await call("SessionUpsert", { sessionuuid: kept, sessiondata: { v: 1 } })).status).toBe(200);
      await vault.readAudit();
      await breakAudit(group.storage, true);
      const fresh = sessionId("fresh");
      const upsert = await call("SessionUpsert", { sessionuuid: fresh, sessiondata: { v: 1 } });
      expect(upsert.status).toBe(500);
      expect(upsert.body).toMatchObject({ status: "error" });
      const update = await call("SessionUpsert", { sessionuuid: kept, sessiondata: { v: 2 } });
      expect(update.status).toBe(500);
      expect((await call("SessionDelete", { sessionuuid: kept })).status).toBe(500);
      expect((await call("UserCreate", { profile: { email: `audit-${driver}@example.com` } })).status).toBe(500);
      await vault.readAudit().catch(() => []);
      await breakAudit(group.storage, false);

      expect((await call("SessionGet", { sessionuuid: fresh })).status).toBe(404);
      const stillThere = await call("SessionGet", { sessionuuid: kept });
      expect(stillThere.status).toBe(200);
      expect(stillThere.body.sessiondata).toEqual({ v: 1 });
      expect((await call("UserGet", { mode: "email", identity: `audit-${driver}@example.com` })).status).toBe(404);
      const events = await vault.readAudit();
      expect(events.filter((e) => e.outcome === "ok").map((e) => e.action)).toEqual(["SessionUpsert"]);
    } finally {
      await group.close();
    }
  });

  it("a write that fails stores no audit event claiming it succeeded", async () => {
    const group = services.group(driver);
    try {
      const { vault, call } = await group.instance();
      const id = sessionId("cas");
      expect((await call("SessionUpsert", { sessionuuid: id, sessiondata: { v: 1 } })).status).toBe(200);
      // Refused by its compare-and-set: the event says so, none says "ok".
      const refused = await call("SessionUpsert", { sessionuuid: id, sessiondata: { v: 2 }, expectversion: 7 });
      expect(refused.status).toBe(409);
      // Refused by the storage itself.
      await breakRecords(group.storage, true);
      const failed = await call("SessionUpsert", {
        sessionuuid: sessionId("fails"),
        sessiondata: {},
        slidingtime: "1h",
      });
      await breakRecords(group.storage, false);
      expect(failed.status).toBe(500);
      const events = await vault.readAudit();
      expect(events.map((e) => [e.action, e.outcome])).toEqual([
        ["SessionUpsert", "ok"],
        ["SessionUpsert", "conflict"],
        ["SessionUpsert", "error"],
      ]);
    } finally {
      await group.close();
    }
  });

  it("a string with a lone surrogate is refused with a 400 naming the field, before anything is stored", async () => {
    const group = services.group(driver);
    try {
      const { vault, url } = await group.instance({ audit: { reads: 1 } });
      const post = async (op: string, text: string) => {
        const res = await fetch(`${url}/v2/${op}`, {
          method: "POST",
          headers: { "content-type": "application/json", "x-bunker-token": TOKEN },
          body: text,
        });
        return { status: res.status, body: (await res.json()) as Record<string, unknown> };
      };
      const id = sessionId("surrogate");
      const cases: [string, string, string][] = [
        [
          "SessionUpsert",
          `{"sessionuuid":"${id}","sessiondata":{},"request_metadata":{"requestId":"req_\\ud800x"}}`,
          "body.request_metadata.requestId",
        ],
        [
          "SessionUpsert",
          `{"sessionuuid":"${id}","sessiondata":{},"request_metadata":{"note":"\\udc00"}}`,
          "body.request_metadata.note",
        ],
        [
          "SessionUpsert",
          `{"sessionuuid":"${id}","sessiondata":{},"request_metadata":{"\\ud83d":"x"}}`,
          "body.request_metadata.(key)",
        ],
        ["SessionUpsert", `{"sessionuuid":"${id}","sessiondata":{"name":"a\\ud83d"}}`, "body.sessiondata.name"],
        ["UserCreate", `{"profile":{"email":"s-${driver}@example.com","name":["\\ude00"]}}`, "body.profile.name.0"],
      ];
      for (const [op, text, field] of cases) {
        const reply = await post(op, text);
        expect(reply.status).toBe(400);
        expect(reply.body).toEqual({
          status: "error",
          message: expect.stringContaining(`${field}: holds a lone UTF-16 surrogate`),
        });
      }
      // A well-formed pair is kept as sent.
      const pair = await post("SessionUpsert", `{"sessionuuid":"${id}","sessiondata":{"e":"\\ud83d\\ude00"}}`);
      expect(pair.status).toBe(200);
      const events = await vault.readAudit();
      expect(events.map((e) => [e.action, e.outcome])).toEqual([["SessionUpsert", "ok"]]);
    } finally {
      await group.close();
    }
  });
});

import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createSqliteDriver } from "../../src/storage/sqlite.js";
import type { PutOptions, StorageDriver, StoredRecord } from "../../src/storage/types.js";
import { startTestVault, type TestVault } from "../helpers.js";

const open: TestVault[] = [];
afterEach(async () => {
  while (open.length) await open.pop()!.close();
});

/** A driver on which every compare-and-set of a session loses, as if another instance always won. */
function alwaysLosing(inner: StorageDriver, losing: { on: boolean }): StorageDriver {
  return new Proxy(inner, {
    get(target, prop) {
      if (prop === "put") {
        return (record: StoredRecord, options?: PutOptions) =>
          losing.on && record.kind === "session" && options?.expectVersion !== undefined
            ? Promise.resolve(false)
            : target.put(record, options);
      }
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

describe("contention on one session never surfaces as 409 without expectversion", () => {
  it("64 concurrent unversioned patches on different keys all succeed and every key survives", async () => {
    const t = await startTestVault();
    open.push(t);
    const id = "contended-session-0001";
    const replies = await Promise.all(
      Array.from({ length: 64 }, (_, i) =>
        t.call("SessionPatch", { sessionuuid: id, set: { [`k${i}`]: i }, create: true, slidingtime: "1h" }),
      ),
    );
    expect(replies.map((r) => r.status)).toEqual(Array(64).fill(200));
    expect(new Set(replies.map((r) => r.body.version))).toEqual(new Set(Array.from({ length: 64 }, (_, i) => i + 1)));
    const read = await t.call("SessionGet", { sessionuuid: id });
    expect(read.body.version).toBe(64);
    expect(read.body.sessiondata).toEqual(Object.fromEntries(Array.from({ length: 64 }, (_, i) => [`k${i}`, i])));
  });

  it("racing unversioned upserts all succeed; racing versioned ones still get one winner and 409s", async () => {
    const t = await startTestVault();
    open.push(t);
    const id = "contended-session-0002";
    const upserts = await Promise.all(
      Array.from({ length: 32 }, (_, n) => t.call("SessionUpsert", { sessionuuid: id, sessiondata: { n } })),
    );
    expect(upserts.map((r) => r.status)).toEqual(Array(32).fill(200));
    expect((await t.call("SessionGet", { sessionuuid: id })).body.version).toBe(32);

    const versioned = await Promise.all(
      Array.from({ length: 8 }, (_, n) => t.call("SessionPatch", { sessionuuid: id, set: { n }, expectversion: 32 })),
    );
    expect(versioned.map((r) => r.status).sort()).toEqual([200, 409, 409, 409, 409, 409, 409, 409]);
    expect((await t.call("SessionGet", { sessionuuid: id })).body.version).toBe(33);
  });

  it("answers 503 with Retry-After, and writes nothing, when other instances keep winning", async () => {
    const losing = { on: false };
    const base = await startTestVault();
    const path = join(base.dir, "losing.db");
    await base.close();
    const t = await startTestVault({ driver: alwaysLosing(createSqliteDriver({ path }), losing) });
    open.push(t);
    const id = "contended-session-0003";
    expect((await t.call("SessionUpsert", { sessionuuid: id, sessiondata: { a: 1 } })).status).toBe(200);
    losing.on = true;

    const res = await fetch(`${t.url}/v2/SessionPatch`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-bunker-token": "test-token-0123456789abcdef" },
      body: JSON.stringify({ sessionuuid: id, set: { b: 2 } }),
    });
    expect(res.status).toBe(503);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(await res.json()).toEqual({ status: "error", message: "too many concurrent writes to this session; retry" });

    // The helper checks each reply against the contract, 503 included.
    expect((await t.call("SessionUpsert", { sessionuuid: id, sessiondata: { c: 3 } })).status).toBe(503);
    // With expectversion, losing the race is the caller's conflict, as before.
    expect((await t.call("SessionPatch", { sessionuuid: id, set: { d: 4 }, expectversion: 1 })).status).toBe(409);

    losing.on = false;
    const read = await t.call("SessionGet", { sessionuuid: id });
    expect(read.body).toMatchObject({ sessiondata: { a: 1 }, version: 1 });
    const events = await t.vault.readAudit();
    expect(events.filter((e) => e.outcome === "busy").map((e) => e.action)).toEqual(["SessionPatch", "SessionUpsert"]);
  });
});

import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterEach, describe, expect, it, vi } from "vitest";
import { startTestVault, type TestVault } from "../helpers.js";

const MIN = 60_000;
const open: TestVault[] = [];
afterEach(async () => {
  while (open.length) await open.pop()!.close();
});
async function vault(...args: Parameters<typeof startTestVault>) {
  const t = await startTestVault(...args);
  open.push(t);
  return t;
}

function countRows(t: TestVault): { records: number; indexes: number } {
  const db = new DatabaseSync(join(t.dir, "vault.db"));
  try {
    const records = (db.prepare("SELECT count(*) AS n FROM records").get() as { n: number }).n;
    const indexes = (
      db.prepare("SELECT count(*) AS n FROM indexes WHERE name <> 'sv:index-key'").get() as { n: number }
    ).n;
    return { records: Number(records), indexes: Number(indexes) };
  } finally {
    db.close();
  }
}

describe("expiry on a controllable clock", () => {
  it("extends a sliding window on every read and write", async () => {
    const t = await vault();
    await t.call("SessionUpsert", { sessionuuid: "slide-0001", sessiondata: {}, slidingtime: "10m" });
    t.clock.advance(9 * MIN);
    expect((await t.call("SessionGet", { sessionuuid: "slide-0001" })).status).toBe(200);
    t.clock.advance(9 * MIN);
    expect((await t.call("SessionGet", { sessionuuid: "slide-0001" })).status).toBe(200);
    t.clock.advance(9 * MIN);
    await t.call("SessionUpsert", { sessionuuid: "slide-0001", sessiondata: { w: 1 } });
    t.clock.advance(9 * MIN);
    expect((await t.call("SessionGet", { sessionuuid: "slide-0001" })).body.sessiondata).toEqual({ w: 1 });
    t.clock.advance(10 * MIN);
    expect((await t.call("SessionGet", { sessionuuid: "slide-0001" })).status).toBe(404);
  });

  it("SessionTouch with slidingtime stores the new window, so later reads slide by it", async () => {
    const t = await vault();
    const id = "retouch-0001";
    await t.call("SessionUpsert", { sessionuuid: id, sessiondata: { a: 1 }, slidingtime: "10m" });
    const touched = await t.call("SessionTouch", { sessionuuid: id, slidingtime: "1h" });
    expect(touched.body.expires).toBe(t.clock.now() + 60 * MIN);
    // Past the old ten-minute window: reads now extend by the hour.
    t.clock.advance(50 * MIN);
    const read = await t.call("SessionGet", { sessionuuid: id });
    expect(read.status).toBe(200);
    // The data did not change, so neither did the version (an expectversion stays valid).
    expect(read.body).toMatchObject({ sessiondata: { a: 1 }, version: 1, expires: t.clock.now() + 60 * MIN });
    t.clock.advance(59 * MIN);
    expect((await t.call("SessionTouch", { sessionuuid: id })).body.expires).toBe(t.clock.now() + 60 * MIN);
    await t.call("SessionTouch", { sessionuuid: id, slidingtime: "1h" });
    expect((await t.call("SessionPatch", { sessionuuid: id, set: { b: 2 }, expectversion: 1 })).body.version).toBe(2);
    // A shorter window is stored as well.
    await t.call("SessionTouch", { sessionuuid: id, slidingtime: "5m" });
    t.clock.advance(4 * MIN);
    expect((await t.call("SessionGet", { sessionuuid: id })).body).toMatchObject({
      version: 2,
      sessiondata: { a: 1, b: 2 },
    });
    t.clock.advance(5 * MIN + 1);
    expect((await t.call("SessionGet", { sessionuuid: id })).status).toBe(404);
  });

  it("never extends a finaltime, whether a duration or a unix timestamp", async () => {
    const t = await vault();
    await t.call("SessionUpsert", { sessionuuid: "final-0001", sessiondata: {}, slidingtime: "10m", finaltime: "15m" });
    const stamp = Math.floor(t.clock.now() / 1000) + 20 * 60;
    await t.call("SessionUpsert", { sessionuuid: "final-0002", sessiondata: {}, finaltime: stamp });
    t.clock.advance(9 * MIN);
    const mid = await t.call("SessionGet", { sessionuuid: "final-0001" });
    expect(mid.body.expires).toBe(t.clock.now() - 9 * MIN + 15 * MIN);
    await t.call("SessionTouch", { sessionuuid: "final-0001", slidingtime: "7d" });
    t.clock.advance(6 * MIN);
    expect((await t.call("SessionGet", { sessionuuid: "final-0001" })).status).toBe(404);
    expect((await t.call("SessionGet", { sessionuuid: "final-0002" })).status).toBe(200);
    t.clock.advance(5 * MIN);
    expect((await t.call("SessionGet", { sessionuuid: "final-0002" })).status).toBe(404);
  });

  it("hides an expired record at the exact moment it expires, before any sweep", async () => {
    const t = await vault();
    await t.call("SessionUpsert", { sessionuuid: "edge-0001", sessiondata: {}, slidingtime: "30s" });
    t.clock.advance(29_999);
    expect((await t.call("SessionTouch", { sessionuuid: "edge-0001", slidingtime: "30s" })).status).toBe(200);
    t.clock.advance(30_000);
    expect((await t.call("SessionGet", { sessionuuid: "edge-0001" })).status).toBe(404);
    expect((await t.call("SessionTouch", { sessionuuid: "edge-0001" })).status).toBe(404);
    expect((await t.call("SessionPatch", { sessionuuid: "edge-0001", set: { a: 1 } })).status).toBe(404);
    // An expired session may be written again from scratch.
    expect(
      (await t.call("SessionUpsert", { sessionuuid: "edge-0001", sessiondata: {}, expectversion: 0 })).body.version,
    ).toBe(1);
  });

  it("expires users and tokens too, and drops expired sessions from listings at once", async () => {
    const t = await vault();
    const user = await t.call("UserCreate", { profile: { login: "short-lived" }, slidingtime: "1h" });
    const token = await t.call("TokenCreate", { tokentype: "string", record: "temporary value", finaltime: "1h" });
    await t.call("SessionUpsert", {
      sessionuuid: "owned-expiring",
      sessiondata: {},
      slidingtime: "10m",
      usertoken: user.body.token,
    });
    await t.call("SessionUpsert", { sessionuuid: "owned-lasting", sessiondata: {}, usertoken: user.body.token });
    t.clock.advance(30 * MIN);
    expect((await t.call("UserGet", { mode: "login", identity: "short-lived" })).status).toBe(200);
    const list = await t.call("SessionListUserSessions", { mode: "token", identity: user.body.token });
    expect((list.body.rows as { sessionuuid: string }[]).map((r) => r.sessionuuid)).toEqual(["owned-lasting"]);
    expect(list.body.total).toBe(1);
    t.clock.advance(61 * MIN);
    expect((await t.call("UserGet", { mode: "login", identity: "short-lived" })).status).toBe(404);
    expect((await t.call("TokenGet", { token: token.body.tokenuuid })).status).toBe(404);
    // The expired user's login may be taken by a new user.
    expect((await t.call("UserCreate", { profile: { login: "short-lived" } })).status).toBe(200);
  });

  it("sweeps every expired record, including sessions linked to no user, and their index entries", async () => {
    const t = await vault();
    for (let i = 0; i < 25; i++) {
      await t.call("SessionUpsert", { sessionuuid: `sweep-anon-${i}`, sessiondata: { i }, slidingtime: "5m" });
    }
    const user = await t.call("UserCreate", { profile: { login: "sweep-user" }, finaltime: "5m" });
    await t.call("SessionUpsert", {
      sessionuuid: "sweep-owned",
      sessiondata: {},
      slidingtime: "5m",
      usertoken: user.body.token,
    });
    await t.call("TokenCreate", {
      tokentype: "string",
      record: "sweep me please",
      finaltime: "5m",
      unique: true,
      baselookup: true,
    });
    // Only a sliding window: their lookup entries carry no expiry of their own.
    await t.call("UserCreate", { profile: { email: "sliding@example.com", login: "sliding" }, slidingtime: "5m" });
    await t.call("TokenCreate", {
      tokentype: "string",
      record: "sliding value",
      slidingtime: "5m",
      unique: true,
      baselookup: true,
    });
    await t.call("SessionUpsert", { sessionuuid: "sweep-keeper", sessiondata: {} });
    const before = countRows(t);
    expect(before).toEqual({ records: 31, indexes: 7 });
    t.clock.advance(6 * MIN);
    const swept = await t.vault.sweep();
    // Lookup entries go with their record and are not counted.
    expect(swept.records).toBe(30);
    expect(countRows(t)).toEqual({ records: 1, indexes: 0 });
    expect((await t.call("UserCreate", { profile: { login: "sliding" } })).status).toBe(200);
    expect((await t.call("SessionGet", { sessionuuid: "sweep-keeper" })).status).toBe(200);
  });

  it("SessionRevokeUser counts only the sessions that were still live", async () => {
    const t = await vault();
    const user = await t.call("UserCreate", { profile: { login: "revoke-counter" } });
    const usertoken = user.body.token as string;
    await t.call("SessionUpsert", { sessionuuid: "revoke-short", sessiondata: {}, slidingtime: "1m", usertoken });
    await t.call("SessionUpsert", { sessionuuid: "revoke-long-1", sessiondata: {}, slidingtime: "1h", usertoken });
    await t.call("SessionUpsert", { sessionuuid: "revoke-long-2", sessiondata: {}, usertoken });
    t.clock.advance(2 * MIN);
    const revoked = await t.call("SessionRevokeUser", { mode: "login", identity: "revoke-counter" });
    expect(revoked.body.deleted).toBe(2);
    expect(countRows(t).records).toBe(1);
  });

  it("sweeps in the background on its timer", async () => {
    const t = await vault({ sweepIntervalMs: 25, sweepBatch: 10 });
    for (let i = 0; i < 30; i++) {
      await t.call("SessionUpsert", { sessionuuid: `bg-sweep-${i}`, sessiondata: {}, slidingtime: "1m" });
    }
    t.clock.advance(2 * MIN);
    await vi.waitFor(() => expect(countRows(t).records).toBe(0), { timeout: 10_000, interval: 20 });
  });
});

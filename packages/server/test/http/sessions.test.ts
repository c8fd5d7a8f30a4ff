import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestVault, type TestVault } from "../helpers.js";

let t: TestVault;
beforeAll(async () => {
  t = await startTestVault();
});
afterAll(async () => {
  await t.close();
});

describe("sessions over /v2", () => {
  it("upserts, reads, replaces and deletes a session, with versions and metadata", async () => {
    const id = "sess-crud-0001";
    const first = await t.call("SessionUpsert", {
      sessionuuid: id,
      sessiondata: { user: "u1", n: 1 },
      slidingtime: "30m",
    });
    expect(first).toEqual({ status: 200, body: { status: "ok", version: 1 } });
    const created = t.clock.now();
    // Within 1% of the window a read does not write; the reported window stays as stored.
    t.clock.advance(5_000);
    const early = await t.call("SessionGet", { sessionuuid: id });
    expect(early.body).toMatchObject({ lastused: created, expires: created + 30 * 60_000 });
    t.clock.advance(15_000);
    const got = await t.call("SessionGet", { sessionuuid: id });
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({
      status: "ok",
      sessiondata: { user: "u1", n: 1 },
      version: 1,
      created,
      lastused: t.clock.now(),
      expires: t.clock.now() + 30 * 60_000,
      usertoken: null,
    });
    const second = await t.call("SessionUpsert", { sessionuuid: id, sessiondata: { n: 2 } });
    expect(second.body.version).toBe(2);
    const again = await t.call("SessionGet", { sessionuuid: id });
    expect(again.body.sessiondata).toEqual({ n: 2 });
    expect(again.body.created).toBe(created);
    expect((await t.call("SessionDelete", { sessionuuid: id })).status).toBe(200);
    expect(await t.call("SessionGet", { sessionuuid: id })).toEqual({
      status: 404,
      body: { status: "error", message: "not found" },
    });
    // Deleting a missing session succeeds.
    expect((await t.call("SessionDelete", { sessionuuid: id })).status).toBe(200);
  });

  it("honours expectversion: 0 means must not exist, a stale version is a 409", async () => {
    const id = "sess-cas-0001";
    expect((await t.call("SessionUpsert", { sessionuuid: id, sessiondata: {}, expectversion: 0 })).status).toBe(200);
    const dup = await t.call("SessionUpsert", { sessionuuid: id, sessiondata: {}, expectversion: 0 });
    expect(dup).toEqual({ status: 409, body: { status: "error", message: "version conflict" } });
    expect(
      (await t.call("SessionUpsert", { sessionuuid: id, sessiondata: { a: 1 }, expectversion: 1 })).body.version,
    ).toBe(2);
    expect((await t.call("SessionUpsert", { sessionuuid: id, sessiondata: {}, expectversion: 1 })).status).toBe(409);
  });

  it("patches top-level keys atomically: concurrent patches on different keys all survive", async () => {
    const id = "sess-patch-0001";
    await t.call("SessionUpsert", { sessionuuid: id, sessiondata: { keep: true, drop: 1 } });
    const patches = Array.from({ length: 12 }, (_, i) =>
      t.call("SessionPatch", { sessionuuid: id, set: { [`k${i}`]: i } }),
    );
    const results = await Promise.all(patches);
    expect(results.every((r) => r.status === 200)).toBe(true);
    await t.call("SessionPatch", { sessionuuid: id, unset: ["drop"], set: { ["__proto__"]: { polluted: true } } });
    const got = await t.call("SessionGet", { sessionuuid: id });
    const data = got.body.sessiondata as Record<string, unknown>;
    expect(data.keep).toBe(true);
    expect("drop" in data).toBe(false);
    for (let i = 0; i < 12; i++) expect(data[`k${i}`]).toBe(i);
    expect(got.body.version).toBe(14);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("answers 404 for a patch on a missing session unless create is true", async () => {
    expect((await t.call("SessionPatch", { sessionuuid: "sess-patch-missing", set: { a: 1 } })).status).toBe(404);
    const made = await t.call("SessionPatch", { sessionuuid: "sess-patch-missing", set: { a: 1 }, create: true });
    expect(made.body).toEqual({ status: "ok", version: 1 });
    expect(
      (await t.call("SessionPatch", { sessionuuid: "sess-patch-missing", set: { a: 2 }, expectversion: 5 })).status,
    ).toBe(409);
  });

  it("touches a session without sending data and reports the new expiry", async () => {
    const id = "sess-touch-0001";
    await t.call("SessionUpsert", { sessionuuid: id, sessiondata: { a: 1 }, slidingtime: "10m" });
    t.clock.advance(60_000);
    const touched = await t.call("SessionTouch", { sessionuuid: id });
    expect(touched.body).toEqual({ status: "ok", expires: t.clock.now() + 600_000 });
    const longer = await t.call("SessionTouch", { sessionuuid: id, slidingtime: "1h" });
    expect(longer.body.expires).toBe(t.clock.now() + 3_600_000);
    expect((await t.call("SessionTouch", { sessionuuid: "sess-touch-none" })).status).toBe(404);
  });
});

describe("sessions linked to users", () => {
  it("lists a user's sessions by any identity, most recently used first, with offset/limit and total", async () => {
    const user = await t.call("UserCreate", { profile: { login: "list-user", email: "List@Example.com" } });
    const token = user.body.token as string;
    for (let i = 0; i < 5; i++) {
      await t.call("SessionUpsert", { sessionuuid: `list-sess-${i}`, sessiondata: { i }, usertoken: token });
      t.clock.advance(2_000);
    }
    await t.call("SessionUpsert", { sessionuuid: "list-sess-unlinked", sessiondata: {} });
    t.clock.advance(2_000);
    await t.call("SessionGet", { sessionuuid: "list-sess-1" });
    const byEmail = await t.call("SessionListUserSessions", { mode: "email", identity: "list@example.com" });
    expect(byEmail.status).toBe(200);
    expect((byEmail.body.rows as { sessionuuid: string }[]).map((r) => r.sessionuuid)).toEqual([
      "list-sess-1",
      "list-sess-4",
      "list-sess-3",
      "list-sess-2",
      "list-sess-0",
    ]);
    expect(byEmail.body.total).toBe(5);
    const page = await t.call("SessionListUserSessions", { mode: "login", identity: "list-user", offset: 1, limit: 2 });
    expect((page.body.rows as { sessionuuid: string; usertoken: string }[]).map((r) => r.sessionuuid)).toEqual([
      "list-sess-4",
      "list-sess-3",
    ]);
    expect((page.body.rows as { usertoken: string }[])[0]!.usertoken).toBe(token);
    expect(page.body.total).toBe(5);
    // "" unlinks; omitting usertoken keeps the link.
    await t.call("SessionUpsert", { sessionuuid: "list-sess-0", sessiondata: { i: 0 }, usertoken: "" });
    await t.call("SessionUpsert", { sessionuuid: "list-sess-2", sessiondata: { i: 2, again: true } });
    const after = await t.call("SessionListUserSessions", { mode: "token", identity: token });
    expect(after.body.total).toBe(4);
    expect((await t.call("SessionListUserSessions", { mode: "email", identity: "nobody@example.com" })).status).toBe(
      404,
    );
  });

  it("revokes every session of a user except the ones to keep", async () => {
    const user = await t.call("UserCreate", { profile: { login: "revoke-user" } });
    const token = user.body.token as string;
    for (let i = 0; i < 4; i++) {
      await t.call("SessionUpsert", { sessionuuid: `revoke-sess-${i}`, sessiondata: {}, usertoken: token });
    }
    const revoked = await t.call("SessionRevokeUser", {
      mode: "login",
      identity: "revoke-user",
      keep: ["revoke-sess-2"],
    });
    expect(revoked.body).toEqual({ status: "ok", deleted: 3 });
    expect((await t.call("SessionGet", { sessionuuid: "revoke-sess-0" })).status).toBe(404);
    expect((await t.call("SessionGet", { sessionuuid: "revoke-sess-2" })).status).toBe(200);
  });

  it("refuses to link a session to a user that does not exist", async () => {
    const res = await t.call("SessionUpsert", {
      sessionuuid: "link-missing-user",
      sessiondata: {},
      usertoken: "00000000-0000-4000-8000-000000000000",
    });
    expect(res).toEqual({ status: 404, body: { status: "error", message: "user not found" } });
  });
});

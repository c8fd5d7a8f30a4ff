import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import express from "express";
import session from "express-session";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestVault, type TestVault, TOKEN } from "../helpers.js";

// The published Databunker OSS store, unchanged, from npm.
const require = createRequire(import.meta.url);
const connectDatabunker = require("@databunker/session-store") as (
  s: typeof session,
) => new (options: {
  url: string;
  token: string;
}) => session.Store;

declare module "express-session" {
  interface SessionData {
    views: number;
  }
}

let t: TestVault;
let appUrl = "";
let closeApp: () => Promise<void>;

beforeAll(async () => {
  t = await startTestVault();
  const DatabunkerStore = connectDatabunker(session);
  const app = express();
  app.use(
    session({
      store: new DatabunkerStore({ url: `${t.url}/`, token: TOKEN }),
      secret: "express-session-signing-secret",
      resave: false,
      saveUninitialized: false,
    }),
  );
  app.get("/view", (req, res) => {
    req.session.views = (req.session.views ?? 0) + 1;
    res.json({ views: req.session.views, id: req.sessionID });
  });
  app.get("/logout", (req, res, next) => {
    req.session.destroy((err) => (err ? next(err) : res.json({ ok: true })));
  });
  const server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  closeApp = () => new Promise((resolve) => server.close(() => resolve()));
});

afterAll(async () => {
  await closeApp();
  await t.close();
});

/** A one-cookie jar: enough for a single express-session cookie. */
function jar() {
  let cookie = "";
  return async (path: string) => {
    const res = await fetch(`${appUrl}${path}`, { headers: cookie ? { cookie } : {} });
    const set = res.headers.get("set-cookie");
    if (set) cookie = set.split(";")[0]!;
    return { status: res.status, body: (await res.json()) as { views?: number; id?: string } };
  };
}

describe("@databunker/session-store inside express-session against the vault's v1 routes", () => {
  it("keeps a session across requests, stores it encrypted in the vault, and destroys it on logout", async () => {
    const browser = jar();
    expect((await browser("/view")).body.views).toBe(1);
    expect((await browser("/view")).body.views).toBe(2);
    const third = await browser("/view");
    expect(third.body.views).toBe(3);
    const sid = third.body.id!;
    const stored = await t.call("SessionGet", { sessionuuid: sid });
    expect(stored.status).toBe(200);
    expect((stored.body.sessiondata as { views: number }).views).toBe(3);
    const v1 = await t.call(`/v1/session/${sid}`, null, { method: "GET" });
    expect(v1.body).toMatchObject({ status: "ok", session: sid, data: { views: 3 } });
    expect(typeof v1.body.when).toBe("number");
    expect((await browser("/logout")).status).toBe(200);
    expect((await t.call("SessionGet", { sessionuuid: sid })).status).toBe(404);
    expect(await t.call(`/v1/session/${sid}`, null, { method: "GET" })).toEqual({
      status: 404,
      body: { status: "error", message: "not found" },
    });
  });

  it("treats an unknown session cookie as a fresh session, not an error", async () => {
    const browser = jar();
    await browser("/view");
    await browser("/logout");
    // The cookie still names the deleted session; the store must report "missing", not fail.
    const after = await browser("/view");
    expect(after.status).toBe(200);
    expect(after.body.views).toBe(1);
  });
});

describe("v1 routes", () => {
  it("lists a user's sessions as OSS does: {status, total, rows: [{session, when, data}]}", async () => {
    const user = await t.call("UserCreate", { profile: { login: "v1-lister" } });
    await t.call("SessionUpsert", { sessionuuid: "v1-list-0001", sessiondata: { a: 1 }, usertoken: user.body.token });
    const res = await t.call("/v1/sessions/login/v1-lister", null, { method: "GET" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: "ok", total: 1, rows: [{ session: "v1-list-0001", data: { a: 1 } }] });
  });

  it("links a POSTed session to the user named by a top-level token, login or email, and pages with offset/limit", async () => {
    const user = await t.call("UserCreate", { profile: { login: "v1-linker", email: "v1-linker@example.org" } });
    const token = user.body.token as string;
    await t.call("/v1/session/v1-link-by-token", { token, device: "a" });
    t.clock.advance(1000);
    await t.call("/v1/session/v1-link-by-email", { email: "v1-linker@example.org", device: "b" });
    t.clock.advance(1000);
    await t.call("/v1/session/v1-link-by-login", { login: "v1-linker", device: "c" });
    // An identity field naming no user is only data.
    await t.call("/v1/session/v1-link-nobody", { email: "nobody@example.org", device: "d" });
    const all = await t.call(`/v1/sessions/token/${token}`, null, { method: "GET" });
    expect(all.body.total).toBe(3);
    expect((all.body.rows as Array<{ data: { device: string } }>).map((r) => r.data.device).sort()).toEqual([
      "a",
      "b",
      "c",
    ]);
    // The data is stored whole, identity fields included.
    expect(
      (all.body.rows as Array<{ data: Record<string, unknown> }>).find((r) => r.data.device === "a")?.data,
    ).toEqual({
      token,
      device: "a",
    });
    const page = await t.call("/v1/sessions/email/v1-linker%40example.org?offset=1&limit=1", null, { method: "GET" });
    expect(page.body.total).toBe(3);
    expect(page.body.rows).toHaveLength(1);
    expect((await t.call("/v1/sessions/login/v1-linker?limit=0", null, { method: "GET" })).status).toBe(400);
  });

  it("honours Databunker's body `expiration`: units s, m (a month), h, d, bare seconds or a later unix time", async () => {
    const get = (id: string) => t.call(`/v1/session/${id}`, null, { method: "GET" });
    await t.call("/v1/session/v1-exp-2s", { expiration: "2s", x: 1 });
    await t.call("/v1/session/v1-exp-month", { expiration: "1m", x: 1 });
    await t.call("/v1/session/v1-exp-bare", { expiration: 90, x: 1 });
    const nowS = Math.floor(t.clock.now() / 1000);
    await t.call("/v1/session/v1-exp-unix", { expiration: nowS + 3600, x: 1 });
    await t.call("/v1/session/v1-exp-junk", { expiration: "soon", x: 1 });
    expect((await get("v1-exp-2s")).body.data).toEqual({ expiration: "2s", x: 1 });
    t.clock.advance(3200);
    expect((await get("v1-exp-2s")).status).toBe(404);
    expect((await get("v1-exp-bare")).status).toBe(200);
    t.clock.advance(90_000);
    expect((await get("v1-exp-bare")).status).toBe(404);
    expect((await get("v1-exp-unix")).status).toBe(200);
    t.clock.advance(3600_000);
    expect((await get("v1-exp-unix")).status).toBe(404);
    // A month is 31 days, as in Databunker OSS; an unparseable expiration is ignored.
    t.clock.advance(30 * 86_400_000);
    expect((await get("v1-exp-month")).status).toBe(200);
    t.clock.advance(86_400_000);
    expect((await get("v1-exp-month")).status).toBe(404);
    expect((await get("v1-exp-junk")).status).toBe(200);
  });

  it("stores a POSTed body with a sliding window from the query and deletes idempotently", async () => {
    const set = await t.call("/v1/session/v1-window-001?slidingtime=1m", { x: 1 });
    expect(set.body).toEqual({ status: "ok", session: "v1-window-001" });
    t.clock.advance(61_000);
    expect((await t.call("/v1/session/v1-window-001", null, { method: "GET" })).status).toBe(404);
    expect((await t.call("/v1/session/v1-window-001", null, { method: "DELETE" })).body).toEqual({ status: "ok" });
    expect((await t.call("/v1/session/v1-window-001?slidingtime=soon", { x: 1 })).status).toBe(400);
    expect((await t.call("/v1/session/v1-window-001", "[1]", { raw: "[1]" })).status).toBe(400);
    expect((await t.call("/v1/session/short", null, { method: "GET" })).status).toBe(400);
    expect((await t.call("/v1/session/v1-window-001", null, { method: "PUT" })).status).toBe(405);
  });
});

describe("v1 user routes", () => {
  it("create, read by any identity, merge-patch with PUT and delete a user as Databunker OSS does", async () => {
    const created = await t.call("/v1/user", { login: "v1-user", email: "v1-user@example.org", name: "Ada" });
    expect(created.status).toBe(200);
    const token = created.body.token as string;
    expect(await t.call("/v1/user/email/v1-user%40example.org", null, { method: "GET" })).toEqual({
      status: 200,
      body: { status: "ok", token, data: { login: "v1-user", email: "v1-user@example.org", name: "Ada" } },
    });
    const put = await t.call("/v1/user/login/v1-user", { name: "Ada Lovelace" }, { method: "PUT" });
    expect(put.body).toEqual({ status: "ok", token });
    expect((await t.call(`/v1/user/token/${token}`, null, { method: "GET" })).body.data).toEqual({
      login: "v1-user",
      email: "v1-user@example.org",
      name: "Ada Lovelace",
    });
    expect((await t.call("/v1/user", { email: "v1-user@example.org" })).status).toBe(409);
    expect((await t.call("/v1/user/email/v1-user%40example.org", null, { method: "DELETE" })).body).toEqual({
      status: "ok",
      result: "done",
    });
    expect((await t.call("/v1/user/login/v1-user", null, { method: "GET" })).status).toBe(404);
    expect((await t.call("/v1/user/nomode/x", null, { method: "GET" })).status).toBe(400);
    expect((await t.call("/v1/user/login/x", null, { method: "POST" })).status).toBe(405);
  });
});

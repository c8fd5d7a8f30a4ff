import { randomUUID } from "node:crypto";
import { createVaultClient, type VaultClient } from "@sessionvault/client";
import { createCookieJarClient, startVault } from "@sessionvault/testkit";
import { CookieJar } from "tough-cookie";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VaultStore } from "../src/index.js";
import { COOKIE_NAME, type RunningApp, startApp } from "./app.js";

type Vault = Awaited<ReturnType<typeof startVault>>;

let vault: Vault;
let client: VaultClient;
let store: VaultStore;
let app: RunningApp;

const newUser = async () => {
  const login = `user-${randomUUID()}`;
  await client.createUser({ login });
  return login;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  vault = await startVault();
  client = createVaultClient({ baseUrl: vault.url, token: vault.token, retry: { retries: 1, minDelayMs: 20 } });
  store = new VaultStore({ client });
  app = await startApp(store);
});

afterAll(async () => {
  await app?.close();
  await vault?.destroy();
});

describe("koa app on a real vault", () => {
  it("keeps a counter across requests", async () => {
    const browser = createCookieJarClient(app.url);
    expect((await browser.get("/count")).json()).toEqual({ count: 1 });
    expect((await browser.get("/count")).json()).toEqual({ count: 2 });
    expect((await browser.get("/count")).json()).toEqual({ count: 3 });
    const sid = (await browser.cookie(COOKIE_NAME))!;
    expect(sid).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await client.getSession(sid))?.data).toMatchObject({ count: 3 });
  });

  it("writes nothing for a visitor whose session was never filled", async () => {
    const browser = createCookieJarClient(app.url);
    expect((await browser.get("/data")).json()).toEqual({});
    expect(await browser.cookie(COOKIE_NAME)).toBeUndefined();
  });

  it("gives a new id at login, keeps the data, links the user and kills the old id", async () => {
    const login = await newUser();
    const browser = createCookieJarClient(app.url);
    await browser.get("/count");
    const before = (await browser.cookie(COOKIE_NAME))!;
    const planted = await browser.clone();

    expect((await browser.post("/login", { json: { login } })).json()).toEqual({ user: login });
    const after = (await browser.cookie(COOKIE_NAME))!;
    expect(after).not.toBe(before);
    expect((await browser.get("/data")).json()).toEqual({ count: 1, user: login });
    expect(await client.getSession(before)).toBeNull();
    const user = await client.getUser("login", login);
    expect((await client.getSession(after))?.usertoken).toBe(user?.token);

    // Whoever still holds the pre-login cookie (e.g. planted it) gets an empty session.
    expect((await planted.get("/data")).json()).toEqual({});
  });

  it("regenerates without the data or the user link when asked to", async () => {
    const login = await newUser();
    const browser = createCookieJarClient(app.url);
    await browser.post("/login", { json: { login } });
    const user = await client.getUser("login", login);
    expect((await browser.get("/me")).json()).toEqual({ userToken: user?.token });
    const before = (await browser.cookie(COOKIE_NAME))!;

    expect((await browser.post("/regenerate-empty")).json()).toEqual({});
    const after = (await browser.cookie(COOKIE_NAME))!;
    expect(after).not.toBe(before);
    expect(await client.getSession(before)).toBeNull();
    expect((await browser.get("/data")).json()).toEqual({});
    expect((await browser.get("/me")).json()).toEqual({ userToken: null });
  });

  it("deletes the session in the vault at logout, so a replayed cookie gets nothing", async () => {
    const login = await newUser();
    const browser = createCookieJarClient(app.url);
    await browser.post("/login", { json: { login } });
    const replay = await browser.clone();
    const sid = (await browser.cookie(COOKIE_NAME))!;
    expect(await client.getSession(sid)).not.toBeNull();

    await browser.post("/logout");
    expect(await client.getSession(sid)).toBeNull();
    expect(await browser.cookie(COOKIE_NAME)).toBeUndefined();
    expect((await replay.get("/data")).json()).toEqual({});
  });

  it("lists the session for its user, and a revoke from elsewhere signs the browser out", async () => {
    const login = await newUser();
    const laptop = createCookieJarClient(app.url);
    const phone = createCookieJarClient(app.url);
    await laptop.post("/login", { json: { login } });
    await phone.post("/login", { json: { login } });
    expect((await laptop.get("/me/sessions")).json()).toEqual({ count: 2, current: true });

    // "Sign out everywhere" from an admin tool with its own client and store.
    const admin = new VaultStore({ baseUrl: vault.url, token: vault.token });
    expect(await admin.revokeSessions("login", login)).toEqual({ deleted: 2 });

    expect((await laptop.get("/data")).json()).toEqual({});
    expect((await phone.get("/me/sessions")).status).toBe(401);
  });

  it("keeps both changes of two overlapping requests that change different keys", async () => {
    const browser = createCookieJarClient(app.url);
    await browser.post("/data", { json: { key: "start", value: true } });
    const [left, right] = await Promise.all([
      browser.post("/data", { json: { key: "left", value: "L", delayMs: 150 } }),
      browser.post("/data", { json: { key: "right", value: "R", delayMs: 150 } }),
    ]);
    // Each request saw only its own change: they really overlapped.
    expect(left.json()).toEqual({ start: true, left: "L" });
    expect(right.json()).toEqual({ start: true, right: "R" });
    expect((await browser.get("/data")).json()).toEqual({ start: true, left: "L", right: "R" });
  });

  it("expires a short session: the vault window ends with the cookie's maxAge", async () => {
    const shortApp = await startApp(store, { maxAge: 1_000 });
    try {
      const browser = createCookieJarClient(shortApp.url);
      expect((await browser.get("/count")).json()).toEqual({ count: 1 });
      const sid = (await browser.cookie(COOKIE_NAME))!;
      const { expires } = (await client.getSession(sid))!;
      // koa-session asks for maxAge + 10 s; the vault gets the cookie's own second.
      expect(expires! - Date.now()).toBeLessThanOrEqual(2_000);
      const replay = await browser.clone();
      await sleep(expires! - Date.now() + 1_200);
      expect(await client.getSession(sid)).toBeNull();
      // Even a client that ignores the cookie's expiry gets a fresh session.
      await replay.setCookie(COOKIE_NAME, sid);
      expect((await replay.get("/data")).json()).toEqual({});
    } finally {
      await shortApp.close();
    }
  });

  it("uses ttl for maxAge 'session': no Expires on the cookie, a sliding vault window", async () => {
    const ttlStore = new VaultStore({ client, ttl: 1_800 });
    const sessionApp = await startApp(ttlStore, { maxAge: "session" });
    try {
      const browser = createCookieJarClient(sessionApp.url);
      const res = await browser.get("/count");
      const setCookie = res.headers.getSetCookie().find((c) => c.startsWith(`${COOKIE_NAME}=`))!;
      expect(setCookie).not.toMatch(/expires=/i);
      const sid = (await browser.cookie(COOKIE_NAME))!;
      const { expires } = (await client.getSession(sid))!;
      expect(Math.abs(expires! - (Date.now() + 1_800_000))).toBeLessThan(5_000);
      expect((await browser.get("/count")).json()).toEqual({ count: 2 });
    } finally {
      await sessionApp.close();
    }
  });

  it("refreshes a rolling session without re-sending its data", async () => {
    // 100 s: the vault slides a window on a read once it would move by 1% (1 s here).
    const rollingApp = await startApp(store, { rolling: true, maxAge: 100_000 });
    try {
      const browser = createCookieJarClient(rollingApp.url);
      await browser.get("/count");
      const sid = (await browser.cookie(COOKIE_NAME))!;
      const before = (await client.getSession(sid))!;
      await sleep(1_100);
      const res = await browser.get("/data");
      expect(res.json()).toEqual({ count: 1 });
      // koa-session re-sends the cookie (rolling) ...
      expect(res.headers.getSetCookie().some((c) => c.startsWith(`${COOKIE_NAME}=${sid}`))).toBe(true);
      const after = (await client.getSession(sid))!;
      // ... while the vault record keeps its version: no data write, only the window moved.
      expect(after.version).toBe(before.version);
      expect(after.expires!).toBeGreaterThan(before.expires!);
      expect(Math.abs(after.expires! - (Date.now() + 100_000))).toBeLessThan(5_000);
    } finally {
      await rollingApp.close();
    }
  });

  it("renews a non-rolling session in its second half, moving its fixed end", async () => {
    const renewApp = await startApp(store, { renew: true, maxAge: 4_000 });
    try {
      const browser = createCookieJarClient(renewApp.url);
      await browser.get("/count");
      const sid = (await browser.cookie(COOKIE_NAME))!;
      const first = (await client.getSession(sid))!;
      // A read in the first half changes nothing: the end is fixed, reads do not slide it.
      await browser.get("/data");
      expect((await client.getSession(sid))!.expires).toBe(first.expires);
      await sleep(2_600);
      const res = await browser.get("/data");
      expect(res.json()).toEqual({ count: 1 });
      const renewed = (await client.getSession(sid))!;
      expect(renewed.expires!).toBeGreaterThan(first.expires!);
      expect(renewed.data).toEqual(first.data);
    } finally {
      await renewApp.close();
    }
  });

  it("refuses personal data in strict mode with a 5xx, writing nothing", async () => {
    const strictApp = await startApp(new VaultStore({ client, strict: true }));
    try {
      const browser = createCookieJarClient(strictApp.url);
      const res = await browser.post("/data", { json: { key: "contact", value: "ada@example.com" } });
      expect(res.status).toBe(500);
      expect(res.json()).toEqual({ error: "pii_refused" });
      expect(await browser.cookie(COOKIE_NAME)).toBeUndefined();
      expect((await browser.post("/data", { json: { key: "theme", value: "dark" } })).json()).toEqual({
        theme: "dark",
      });
    } finally {
      await strictApp.close();
    }
  });

  it("treats a cookie that cannot be a session id as no session, without asking the vault", async () => {
    const browser = createCookieJarClient(app.url);
    await browser.get("/count");
    // koa-session signs the cookie, so forge the id through a store call instead.
    expect(await store.get("short", 1_000, { ctx: {} })).toBeNull();
    expect(await store.get("x".repeat(300), 1_000, { ctx: {} })).toBeNull();
    await expect(store.destroy("bad id with spaces")).resolves.toBeUndefined();
  });

  // Last: it stops the vault.
  it("answers 5xx while the vault is down and loses nothing once it is back", async () => {
    const browser = createCookieJarClient(app.url);
    await browser.get("/count");
    await browser.get("/count");
    const cookie = await browser.cookie(COOKIE_NAME);

    await vault.stop();
    try {
      const failed = await browser.get("/count");
      expect(failed.status).toBeGreaterThanOrEqual(500);
      expect(failed.json<{ error: string }>().error).toBe("vault_unavailable");
      expect(await browser.cookie(COOKIE_NAME)).toBe(cookie);
    } finally {
      await vault.restart();
    }
    expect((await browser.get("/count")).json()).toEqual({ count: 3 });
  });
});

describe("a vault refusal", () => {
  it("reaches the browser as a 500 under Koa's own error handling, never as the vault's 403", async () => {
    const { default: Koa } = await import("koa");
    const { default: session } = await import("koa-session");
    const { createServer } = await import("node:http");
    const wrongToken = new VaultStore({ baseUrl: vault.url, token: "not-the-vault-token", retry: false });
    const bare = new Koa();
    bare.silent = true;
    bare.keys = ["e2e signing key"];
    bare.use(session({ store: wrongToken, key: COOKIE_NAME, maxAge: 600_000 }, bare));
    bare.use((ctx) => {
      if (ctx.session) ctx.session.count = 1;
      ctx.body = { ok: true };
    });
    const server = createServer(bare.callback());
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.address() as import("node:net").AddressInfo;
      const url = `http://127.0.0.1:${port}`;
      // The save of a new session is refused.
      expect((await createCookieJarClient(url).get("/")).status).toBe(500);
      // The load of a session the vault holds is refused.
      // Cookies are per host, not per port: one jar carries the session to both apps.
      const jar = new CookieJar();
      expect((await createCookieJarClient(app.url, jar).get("/count")).status).toBe(200);
      expect((await createCookieJarClient(url, jar).get("/")).status).toBe(500);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

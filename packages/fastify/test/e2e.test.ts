import { randomUUID } from "node:crypto";
import { createVaultClient, type VaultClient } from "@sessionvault/client";
import { createCookieJarClient, startVault } from "@sessionvault/testkit";
import { CookieJar } from "tough-cookie";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VaultStore } from "../src/index.js";
import { COOKIE_NAME, type RunningApp, SECRET, sessionIdOf, startApp } from "./app.js";

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
const setsCookie = (headers: Headers) => headers.getSetCookie().some((c) => c.startsWith(`${COOKIE_NAME}=`));

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

describe("fastify app on a real vault", () => {
  it("keeps a counter across requests", async () => {
    const browser = createCookieJarClient(app.url);
    expect((await browser.get("/count")).json()).toEqual({ count: 1 });
    expect((await browser.get("/count")).json()).toEqual({ count: 2 });
    expect((await browser.get("/count")).json()).toEqual({ count: 3 });
    const sid = sessionIdOf(await browser.cookie(COOKIE_NAME));
    expect((await client.getSession(sid))?.data).toMatchObject({ count: 3 });
  });

  it("honours saveUninitialized: stored by default, nothing written when it is false", async () => {
    const browser = createCookieJarClient(app.url);
    expect((await browser.get("/data")).json()).toEqual({});
    const sid = sessionIdOf(await browser.cookie(COOKIE_NAME));
    expect(await client.getSession(sid)).not.toBeNull();

    const lazyApp = await startApp(store, { saveUninitialized: false });
    try {
      const visitor = createCookieJarClient(lazyApp.url);
      expect((await visitor.get("/data")).json()).toEqual({});
      expect(await visitor.cookie(COOKIE_NAME)).toBeUndefined();
      expect((await visitor.get("/count")).json()).toEqual({ count: 1 });
      expect(await visitor.cookie(COOKIE_NAME)).toBeDefined();
    } finally {
      await lazyApp.close();
    }
  });

  it("gives a new id at login, keeps the data, links the user and kills the old id", async () => {
    const login = await newUser();
    const browser = createCookieJarClient(app.url);
    await browser.get("/count");
    const before = sessionIdOf(await browser.cookie(COOKIE_NAME));
    const planted = await browser.clone();

    expect((await browser.post("/login", { json: { login } })).json()).toEqual({ user: login });
    const after = sessionIdOf(await browser.cookie(COOKIE_NAME));
    expect(after).not.toBe(before);
    expect((await browser.get("/data")).json()).toEqual({ count: 1, user: login });
    expect(await client.getSession(before)).toBeNull();
    const user = await client.getUser("login", login);
    expect((await client.getSession(after))?.usertoken).toBe(user?.token);

    // Whoever still holds the pre-login cookie (e.g. planted it) gets an empty session.
    expect((await planted.get("/data")).json()).toEqual({});
  });

  it("regenerates without the data when asked to", async () => {
    const browser = createCookieJarClient(app.url);
    await browser.get("/count");
    const before = sessionIdOf(await browser.cookie(COOKIE_NAME));
    expect((await browser.post("/regenerate-empty")).json()).toEqual({});
    expect(sessionIdOf(await browser.cookie(COOKIE_NAME))).not.toBe(before);
    expect(await client.getSession(before)).toBeNull();
    expect((await browser.get("/data")).json()).toEqual({});
  });

  it("deletes the session in the vault at logout, so a replayed cookie gets nothing", async () => {
    const login = await newUser();
    const browser = createCookieJarClient(app.url);
    await browser.post("/login", { json: { login } });
    const replay = await browser.clone();
    const sid = sessionIdOf(await browser.cookie(COOKIE_NAME));
    expect(await client.getSession(sid)).not.toBeNull();

    await browser.post("/logout");
    expect(await client.getSession(sid)).toBeNull();
    expect((await replay.get("/data")).json()).toEqual({});
    expect(sessionIdOf(await replay.cookie(COOKIE_NAME))).not.toBe(sid);
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

  it("expires a short session with the cookie's maxAge", async () => {
    // Two seconds, not one: @fastify/session sends only `Expires`, an HTTP date with whole
    // seconds, so a one-second cookie can reach the jar already expired.
    const shortApp = await startApp(store, { maxAge: 2_000 });
    try {
      const browser = createCookieJarClient(shortApp.url);
      expect((await browser.get("/count")).json()).toEqual({ count: 1 });
      const cookie = (await browser.cookie(COOKIE_NAME))!;
      const sid = sessionIdOf(cookie);
      const { expires } = (await client.getSession(sid))!;
      expect(expires! - Date.now()).toBeLessThanOrEqual(2_500);
      await sleep(expires! - Date.now() + 1_200);
      expect(await client.getSession(sid)).toBeNull();
      // Even a client that ignores the cookie's expiry gets a fresh session.
      const replay = createCookieJarClient(shortApp.url);
      await replay.setCookie(COOKIE_NAME, cookie);
      expect((await replay.get("/count")).json()).toEqual({ count: 1 });
    } finally {
      await shortApp.close();
    }
  });

  it("uses ttl for a browser-session cookie", async () => {
    const ttlApp = await startApp(new VaultStore({ client, ttl: 1_800 }), { maxAge: null });
    try {
      const browser = createCookieJarClient(ttlApp.url);
      const res = await browser.get("/count");
      const setCookie = res.headers.getSetCookie().find((c) => c.startsWith(`${COOKIE_NAME}=`))!;
      expect(setCookie).not.toMatch(/expires=|max-age=/i);
      const { expires } = (await client.getSession(sessionIdOf(await browser.cookie(COOKIE_NAME))))!;
      expect(Math.abs(expires! - (Date.now() + 1_800_000))).toBeLessThan(5_000);
      expect((await browser.get("/count")).json()).toEqual({ count: 2 });
    } finally {
      await ttlApp.close();
    }
  });

  it("is cheap under the default rolling saves: the window moves, the data is not re-sent", async () => {
    // 100 s: the vault slides a window on a read once it would move by 1% (1 s here).
    const rollingApp = await startApp(store, { maxAge: 100_000 });
    try {
      const browser = createCookieJarClient(rollingApp.url);
      await browser.get("/count");
      const sid = sessionIdOf(await browser.cookie(COOKIE_NAME));
      const before = (await client.getSession(sid))!;
      await sleep(1_100);
      const res = await browser.get("/data");
      expect(res.json()).toEqual({ count: 1 });
      expect(setsCookie(res.headers)).toBe(true);
      const after = (await client.getSession(sid))!;
      expect(after.version).toBe(before.version);
      expect(after.expires!).toBeGreaterThan(before.expires!);
      expect(Math.abs(after.expires! - (Date.now() + 100_000))).toBeLessThan(5_000);
    } finally {
      await rollingApp.close();
    }
  });

  it("with rolling: false an unchanged session is neither saved nor re-sent", async () => {
    const fixedApp = await startApp(store, { rolling: false });
    try {
      const browser = createCookieJarClient(fixedApp.url);
      await browser.get("/count");
      const sid = sessionIdOf(await browser.cookie(COOKIE_NAME));
      const before = (await client.getSession(sid))!;
      const res = await browser.get("/data");
      expect(res.json()).toEqual({ count: 1 });
      // @fastify/session saw no change: the store's bookkeeping is invisible to it.
      expect(setsCookie(res.headers)).toBe(false);
      expect((await client.getSession(sid))!.version).toBe(before.version);
    } finally {
      await fixedApp.close();
    }
  });

  it("refuses personal data in strict mode with a 5xx, writing nothing", async () => {
    const strictApp = await startApp(new VaultStore({ client, strict: true }), { saveUninitialized: false });
    try {
      const browser = createCookieJarClient(strictApp.url);
      const res = await browser.post("/data", { json: { key: "contact", value: "+44 20 7946 0958" } });
      // The save runs in @fastify/session's onSend hook, so Fastify's own error reply answers.
      expect(res.status).toBe(500);
      expect(res.json()).toMatchObject({ statusCode: 500, code: "pii_refused" });
      expect(res.text).not.toContain("7946");
      expect(await browser.cookie(COOKIE_NAME)).toBeUndefined();
      expect((await browser.post("/data", { json: { key: "theme", value: "dark" } })).json()).toEqual({
        theme: "dark",
      });
    } finally {
      await strictApp.close();
    }
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
  it("reaches the browser as a 500 under Fastify's own error handler, never as the vault's 403", async () => {
    const { default: Fastify } = await import("fastify");
    const { default: fastifyCookie } = await import("@fastify/cookie");
    const { default: fastifySession } = await import("@fastify/session");
    const wrongToken = new VaultStore({ baseUrl: vault.url, token: "not-the-vault-token", retry: false });
    const bare = Fastify();
    await bare.register(fastifyCookie);
    await bare.register(fastifySession, {
      store: wrongToken,
      secret: SECRET,
      cookieName: COOKIE_NAME,
      cookie: { maxAge: 600_000, secure: false },
    });
    bare.get("/", async (request) => {
      (request.session as unknown as Record<string, unknown>).count = 1;
      return { ok: true };
    });
    const url = await bare.listen({ port: 0, host: "127.0.0.1" });
    try {
      // The save of a new session is refused.
      expect((await createCookieJarClient(url).get("/")).status).toBe(500);
      // The load of a session the vault holds is refused.
      // Cookies are per host, not per port: one jar carries the session to both apps.
      const jar = new CookieJar();
      expect((await createCookieJarClient(app.url, jar).get("/count")).status).toBe(200);
      expect((await createCookieJarClient(url, jar).get("/")).status).toBe(500);
    } finally {
      await bare.close();
    }
  });
});

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

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
  it("writes nothing for a visitor whose session was never filled", async () => {
    const browser = createCookieJarClient(app.url);
    expect((await browser.get("/data")).json()).toEqual({});
    expect(await browser.cookie(COOKIE_NAME)).toBeUndefined();
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

  it("treats a cookie that cannot be a session id as no session, without asking the vault", async () => {
    const browser = createCookieJarClient(app.url);
    await browser.get("/count");
    // koa-session signs the cookie, so forge the id through a store call instead.
    expect(await store.get("short", 1_000, { ctx: {} })).toBeNull();
    expect(await store.get("x".repeat(300), 1_000, { ctx: {} })).toBeNull();
    await expect(store.destroy("bad id with spaces")).resolves.toBeUndefined();
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

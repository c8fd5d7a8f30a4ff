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

beforeAll(async () => {
  vault = await startVault();
  client = createVaultClient({ baseUrl: vault.url, token: vault.token, retry: { retries: 1, minDelayMs: 20 } });
  // Built from connection settings, as in the README: the default transport under test.
  store = new VaultStore({ baseUrl: vault.url, token: vault.token, retry: { retries: 1, minDelayMs: 20 } });
  app = await startApp(store);
});

afterAll(async () => {
  await app?.close();
  await vault?.destroy();
});

describe("express app on a real vault", () => {
  it("sets a 256-bit id in an HttpOnly, SameSite=Lax cookie", async () => {
    const res = await fetch(`${app.url}/count`);
    const setCookie = res.headers.getSetCookie().find((c) => c.startsWith(`${COOKIE_NAME}=`));
    expect(setCookie).toMatch(/; HttpOnly/);
    expect(setCookie).toMatch(/; SameSite=Lax/);
    expect(setCookie).not.toMatch(/; Secure/);
    expect(sessionIdOf(setCookie?.split(";")[0]?.slice(COOKIE_NAME.length + 1))).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it("issues UUID session ids when asked to, for vaults that demand them", async () => {
    const uuidApp = await startApp(new VaultStore({ client }), { maxAge: 600_000 }, { idFormat: "uuid" });
    try {
      const browser = createCookieJarClient(uuidApp.url);
      expect((await browser.get("/count")).json()).toEqual({ count: 1 });
      expect((await browser.get("/count")).json()).toEqual({ count: 2 });
      expect(sessionIdOf(await browser.cookie(COOKIE_NAME))).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
    } finally {
      await uuidApp.close();
    }
  });

  it("with rolling, re-sends the cookie on unchanged views and keeps the vault window in step", async () => {
    const rollingApp = await startApp(new VaultStore({ client }), { maxAge: 600_000 }, { rolling: true });
    try {
      const browser = createCookieJarClient(rollingApp.url);
      await browser.get("/count");
      const sid = sessionIdOf(await browser.cookie(COOKIE_NAME));
      const view = await browser.get("/data");
      expect(view.json()).toEqual({ count: 1 });
      expect(view.headers.getSetCookie().some((c) => c.startsWith(`${COOKIE_NAME}=`))).toBe(true);
      const { expires, data } = (await client.getSession(sid))!;
      expect(data).toMatchObject({ count: 1 });
      expect(Math.abs((expires ?? 0) - (Date.now() + 600_000))).toBeLessThan(5_000);
    } finally {
      await rollingApp.close();
    }
  });

  it("writes nothing for a visitor whose session was never touched", async () => {
    const browser = createCookieJarClient(app.url);
    expect((await browser.get("/data")).json()).toEqual({});
    expect(await browser.cookie(COOKIE_NAME)).toBeUndefined();
  });

  it("expires a session after the store's ttl when the cookie has no maxAge", async () => {
    const shortStore = new VaultStore({ client, ttl: 1 });
    const shortApp = await startApp(shortStore, {});
    try {
      const browser = createCookieJarClient(shortApp.url);
      expect((await browser.get("/count")).json()).toEqual({ count: 1 });
      expect((await browser.get("/count")).json()).toEqual({ count: 2 });
      const sid = sessionIdOf(await browser.cookie(COOKIE_NAME));
      await new Promise((resolve) => setTimeout(resolve, 2_300));
      expect(await browser.cookie(COOKIE_NAME)).toBeDefined();
      expect((await browser.get("/count")).json()).toEqual({ count: 1 });
      expect(sessionIdOf(await browser.cookie(COOKIE_NAME))).not.toBe(sid);
    } finally {
      await shortApp.close();
    }
  });
});

describe("vault calls per request", () => {
  it("costs one call for an unchanged page view, and touches when the cookie outlives the window", async () => {
    const calls: string[] = [];
    const counting = createVaultClient({
      baseUrl: vault.url,
      token: vault.token,
      fetch: (input, init) => {
        calls.push(new URL(input instanceof Request ? input.url : String(input)).pathname.split("/").pop() ?? "");
        return fetch(input, init);
      },
    });
    const countingApp = await startApp(new VaultStore({ client: counting }));
    try {
      const browser = createCookieJarClient(countingApp.url);
      await browser.get("/count");
      expect(calls).toEqual(["SessionUpsert"]);

      calls.length = 0;
      expect((await browser.get("/data")).json()).toEqual({ count: 1 });
      expect(calls).toEqual(["SessionGet"]);

      calls.length = 0;
      await browser.get("/count");
      expect(calls).toEqual(["SessionGet", "SessionPatch"]);

      // Stored with a 1-minute window; this app's cookie lives an hour: the touch must go out.
      const sid = sessionIdOf(await browser.cookie(COOKIE_NAME));
      await client.touchSession(sid, { slidingtime: "60s" });
      calls.length = 0;
      await browser.get("/data");
      expect(calls).toEqual(["SessionGet", "SessionTouch"]);
      const { expires } = (await client.getSession(sid))!;
      expect(Math.abs((expires ?? 0) - (Date.now() + 3_600_000))).toBeLessThan(5_000);
    } finally {
      await countingApp.close();
    }
  });
});

describe("a vault refusal", () => {
  it("reaches the browser as a 500 under express's own error handler, never as the vault's 403", async () => {
    // express-session writes the response before a failed save can reach the error
    // handler, so the load is where a refusal shows as the request's status.
    const { default: express } = await import("express");
    const { vaultSession } = await import("../src/index.js");
    const wrongToken = new VaultStore({ baseUrl: vault.url, token: "not-the-vault-token", retry: false });
    const bare = express();
    bare.use(vaultSession({ store: wrongToken, secret: SECRET, name: COOKIE_NAME, cookie: { maxAge: 600_000 } }));
    bare.get("/", (req, res) => {
      (req.session as unknown as { n: number }).n = 1;
      res.json({ ok: true });
    });
    const server = await new Promise<import("node:http").Server>((resolve) => {
      const listening = bare.listen(0, "127.0.0.1", () => resolve(listening));
    });
    try {
      const { port } = server.address() as import("node:net").AddressInfo;
      // Cookies are per host, not per port: one jar carries the session to both apps.
      const jar = new CookieJar();
      expect((await createCookieJarClient(app.url, jar).get("/count")).status).toBe(200);
      expect((await createCookieJarClient(`http://127.0.0.1:${port}`, jar).get("/")).status).toBe(500);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

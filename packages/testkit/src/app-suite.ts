import { randomUUID } from "node:crypto";
import { createVaultClient, type VaultClient } from "@sessionvault/client";
import { type RunningVault, startVault } from "@sessionvault/test-services";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CookieJarClient, createCookieJarClient } from "./cookie-jar.js";

/** A framework app under the shared suite, listening on 127.0.0.1. */
export interface SuiteApp {
  url: string;
  close(): Promise<void>;
}

/** How the suite asks for an app: the vault to use and the cookie settings. */
export interface SuiteAppOptions {
  vault: { url: string; token: string };
  /** The cookie's max age in milliseconds (default: the app's own, an hour or more). */
  maxAgeMs?: number;
  /** Strict mode: the store refuses personal data in sessions. */
  strict?: boolean;
}

/**
 * One framework adapter under the shared end-to-end suite. The app serves the suite's
 * routes, each answering JSON:
 *
 * - `GET /count`: adds one to `count` and answers `{ count }`.
 * - `GET /data`: the session data (without the framework's own keys).
 * - `POST /data` `{ key, value, delayMs? }`: waits `delayMs`, sets `key`, answers the data.
 * - `POST /login` `{ login }`: signs in the vault user with that login (a new id, the
 *   data kept, the session linked to the user); answers `{ user: login }`.
 * - `POST /regenerate-empty`: a new id with no data and no user link; answers the data.
 * - `GET /me`: `{ userToken }`, the linked user's vault token or `null`.
 * - `POST /logout`: destroys the session.
 * - `GET /me/sessions`: 401 when signed out, else `{ count, current }` from the adapter's
 *   `listSessions`.
 * - errors answer a 5xx `{ error }`, with the session error's code (`vault_unavailable`,
 *   `pii_refused`, …) when the adapter raised one.
 */
export interface AppSuiteOptions {
  /** The framework, for the suite's title. */
  name: string;
  /** The session cookie's name. */
  cookie: string;
  /** The session id inside the cookie's value (signed cookies carry a signature too). */
  sessionId(cookieValue: string): string;
  /** Starts an app over a new store on `options.vault`. */
  start(options: SuiteAppOptions): Promise<SuiteApp>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The cookie-jar protocol every framework adapter keeps, run inside a real app on a real
 * vault: counter, sign-in rotation and linking, regeneration, sign-out and replay,
 * listing and revocation from elsewhere, concurrent writes, expiry, strict mode and an
 * outage. Call it at the top level of a test file; it starts and stops its own vault.
 *
 * @example
 * ```ts
 * runAppSuite({ name: "express", cookie: COOKIE_NAME, sessionId: sessionIdOf, start: startSuiteApp });
 * ```
 */
export function runAppSuite(options: AppSuiteOptions): void {
  const { cookie } = options;
  let vault: RunningVault;
  let client: VaultClient;
  let app: SuiteApp;
  const opened: SuiteApp[] = [];

  const start = async (extra: Omit<SuiteAppOptions, "vault"> = {}) => {
    const started = await options.start({ vault: { url: vault.url, token: vault.token }, ...extra });
    opened.push(started);
    return started;
  };
  const newUser = async () => {
    const login = `user-${randomUUID()}`;
    await client.createUser({ login });
    return login;
  };
  const sidOf = async (browser: CookieJarClient) => {
    const value = await browser.cookie(cookie);
    if (!value) throw new Error(`the app set no ${cookie} cookie`);
    return options.sessionId(value);
  };
  const replayOf = async (browser: CookieJarClient, url: string) => {
    const replay = createCookieJarClient(url);
    const value = await browser.cookie(cookie);
    if (value) await replay.setCookie(cookie, value);
    return replay;
  };

  describe(`the shared app suite: ${options.name} on a real vault`, () => {
    beforeAll(async () => {
      vault = await startVault();
      client = createVaultClient({ baseUrl: vault.url, token: vault.token, retry: { retries: 1, minDelayMs: 20 } });
      app = await start();
    });

    afterAll(async () => {
      for (const started of opened) await started.close();
      await vault?.destroy();
    });

    it("keeps a counter across requests, stored in the vault under the cookie's id", async () => {
      const browser = createCookieJarClient(app.url);
      for (const count of [1, 2, 3]) expect((await browser.get("/count")).json()).toEqual({ count });
      expect((await client.getSession(await sidOf(browser)))?.data).toMatchObject({ count: 3 });
    });

    it("signs in with a new id, keeps the data, links the user and kills the pre-login id", async () => {
      const login = await newUser();
      const browser = createCookieJarClient(app.url);
      await browser.get("/count");
      const before = await sidOf(browser);
      const planted = await replayOf(browser, app.url);

      expect((await browser.post("/login", { json: { login } })).json()).toEqual({ user: login });
      const after = await sidOf(browser);
      expect(after).not.toBe(before);
      expect((await browser.get("/data")).json()).toEqual({ count: 1, user: login });
      const user = await client.getUser("login", login);
      expect((await client.getSession(after))?.usertoken).toBe(user?.token);
      expect((await browser.get("/me")).json()).toEqual({ userToken: user?.token });
      expect(await client.getSession(before)).toBeNull();
      // Whoever still holds the pre-login cookie (e.g. planted it) gets an empty session.
      expect((await planted.get("/data")).json()).toEqual({});
    });

    it("regenerates without the data or the user link when asked to", async () => {
      const login = await newUser();
      const browser = createCookieJarClient(app.url);
      await browser.post("/login", { json: { login } });
      const before = await sidOf(browser);

      expect((await browser.post("/regenerate-empty")).json()).toEqual({});
      await browser.post("/data", { json: { key: "theme", value: "dark" } });
      const after = await sidOf(browser);
      expect(after).not.toBe(before);
      expect(await client.getSession(before)).toBeNull();
      expect((await browser.get("/data")).json()).toEqual({ theme: "dark" });
      expect((await browser.get("/me")).json()).toEqual({ userToken: null });
      expect((await client.getSession(after))?.usertoken ?? null).toBeNull();
    });

    it("deletes the session in the vault at sign-out, so a replayed cookie gets nothing", async () => {
      const login = await newUser();
      const browser = createCookieJarClient(app.url);
      await browser.post("/login", { json: { login } });
      const sid = await sidOf(browser);
      const replay = await replayOf(browser, app.url);
      expect(await client.getSession(sid)).not.toBeNull();

      expect((await browser.post("/logout")).status).toBe(200);
      expect(await client.getSession(sid)).toBeNull();
      expect((await replay.get("/data")).json()).toEqual({});
    });

    it("lists a user's sessions, and a revoke from elsewhere signs every browser out", async () => {
      const login = await newUser();
      const laptop = createCookieJarClient(app.url);
      const phone = createCookieJarClient(app.url);
      await laptop.post("/login", { json: { login } });
      await phone.post("/login", { json: { login } });
      expect((await laptop.get("/me/sessions")).json()).toEqual({ count: 2, current: true });

      // "Sign out everywhere" from an admin tool with its own client.
      expect(await client.revokeUserSessions("login", login)).toEqual({ deleted: 2 });
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

    it("answers every one of many parallel requests on one session and keeps all their changes", async () => {
      const browser = createCookieJarClient(app.url);
      await browser.post("/data", { json: { key: "start", value: 0 } });
      const replies = await Promise.all(
        Array.from({ length: 24 }, (_, i) => browser.post("/data", { json: { key: `tab${i}`, value: i } })),
      );
      expect(replies.map((reply) => reply.status)).toEqual(replies.map(() => 200));
      const expected: Record<string, number> = { start: 0 };
      for (let i = 0; i < 24; i++) expected[`tab${i}`] = i;
      expect((await browser.get("/data")).json()).toEqual(expected);
    });

    it("ends the vault record with the cookie: a short maxAge expires it, a replay starts afresh", async () => {
      // Two seconds, not one: a cookie sent with only `Expires` (whole seconds) could reach
      // the jar already expired.
      const shortApp = await start({ maxAgeMs: 2_000 });
      const browser = createCookieJarClient(shortApp.url);
      expect((await browser.get("/count")).json()).toEqual({ count: 1 });
      const sid = await sidOf(browser);
      const { expires } = (await client.getSession(sid))!;
      expect(expires! - Date.now()).toBeLessThanOrEqual(2_500);
      const replay = await replayOf(browser, shortApp.url);
      await sleep(expires! - Date.now() + 1_200);
      expect(await client.getSession(sid)).toBeNull();
      // Even a client that ignores the cookie's expiry gets a fresh session.
      expect((await replay.get("/count")).json()).toEqual({ count: 1 });
    });

    it("refuses personal data in strict mode with a 5xx naming no value, writing nothing", async () => {
      const strictApp = await start({ strict: true });
      const browser = createCookieJarClient(strictApp.url);
      const refused = await browser.post("/data", { json: { key: "contact", value: "+44 20 7946 0958" } });
      expect(refused.status).toBe(500);
      expect(refused.text).toContain("pii_refused");
      expect(refused.text).not.toContain("7946");
      const value = await browser.cookie(cookie);
      if (value) expect(await client.getSession(options.sessionId(value))).toBeNull();
      expect((await browser.post("/data", { json: { key: "theme", value: "dark" } })).json()).toEqual({
        theme: "dark",
      });
      expect((await client.getSession(await sidOf(browser)))?.data).toEqual(
        expect.not.objectContaining({ contact: expect.anything() }),
      );
    });

    // Last: it stops the vault.
    it("answers 5xx without a new cookie while the vault is down, and loses nothing once it is back", async () => {
      const browser = createCookieJarClient(app.url);
      await browser.get("/count");
      await browser.get("/count");
      const before = await browser.cookie(cookie);

      await vault.stop();
      try {
        const failed = await browser.get("/count");
        expect(failed.status).toBeGreaterThanOrEqual(500);
        expect(failed.json<{ error: string }>().error).toBe("vault_unavailable");
        expect(failed.headers.getSetCookie().filter((line) => line.startsWith(`${cookie}=`))).toEqual([]);
        expect(await browser.cookie(cookie)).toBe(before);
      } finally {
        await vault.restart();
      }
      expect((await browser.get("/count")).json()).toEqual({ count: 3 });
    });
  });
}

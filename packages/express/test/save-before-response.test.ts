// saveBeforeResponse against a real vault: a write that fails is the request's status.
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createVaultClient, type VaultClient } from "@sessionvault/client";
import { createCookieJarClient, startVault } from "@sessionvault/testkit";
import express, { type NextFunction, type Request, type Response } from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isSessionError, saveBeforeResponse, VaultStore, vaultSession } from "../src/index.js";
import { COOKIE_NAME, SECRET, sessionIdOf } from "./app.js";

type Vault = Awaited<ReturnType<typeof startVault>>;

let vault: Vault;
let client: VaultClient;
const calls: string[] = [];

beforeAll(async () => {
  vault = await startVault();
  client = createVaultClient({ baseUrl: vault.url, token: vault.token, retry: false });
});

afterAll(async () => {
  await vault?.destroy();
});

/** A client that records the vault operation of every call it makes. */
function countingClient(): VaultClient {
  return createVaultClient({
    baseUrl: vault.url,
    token: vault.token,
    retry: { retries: 1, minDelayMs: 20 },
    fetch: (input, init) => {
      calls.push(new URL(input instanceof Request ? input.url : String(input)).pathname.split("/").pop() ?? "");
      return fetch(input, init);
    },
  });
}

async function listen(
  options: { strict?: boolean; saveFirst?: boolean } = {},
): Promise<{ url: string; close(): Promise<void> }> {
  const store = new VaultStore({ client: countingClient(), strict: options.strict ?? false });
  const app = express();
  app.use(vaultSession({ store, secret: SECRET, name: COOKIE_NAME, cookie: { maxAge: 3_600_000 } }));
  if (options.saveFirst ?? true) app.use(saveBeforeResponse());
  app.get("/count", (req, res) => {
    req.session.count = (req.session.count ?? 0) + 1;
    res.json({ count: req.session.count });
  });
  app.get("/data", (req, res) => {
    res.json({ count: req.session.count ?? null });
  });
  // The vault goes down between this request's load and its save.
  app.get("/count-then-outage", async (req, res) => {
    req.session.count = (req.session.count ?? 0) + 1;
    await vault.stop();
    res.json({ count: req.session.count });
  });
  app.get("/email", (req, res) => {
    req.session.user = "ada@example.com";
    res.redirect("/data");
  });
  app.use((err: Error, _req: Request, res: Response, _next: NextFunction) => {
    res.status(500).json({ error: isSessionError(err) ? err.code : err.name });
  });
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(0, "127.0.0.1", () => resolve(listening));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

describe("saveBeforeResponse", () => {
  it("writes once per changed request, never for an unchanged one, and the counter survives", async () => {
    const app = await listen();
    try {
      const browser = createCookieJarClient(app.url);
      calls.length = 0;
      expect((await browser.get("/data")).json()).toEqual({ count: null });
      expect(calls).toEqual([]);
      expect(await browser.cookie(COOKIE_NAME)).toBeUndefined();

      expect((await browser.get("/count")).json()).toEqual({ count: 1 });
      expect(calls).toEqual(["SessionUpsert"]);

      calls.length = 0;
      expect((await browser.get("/count")).json()).toEqual({ count: 2 });
      expect(calls).toEqual(["SessionGet", "SessionPatch"]);

      calls.length = 0;
      expect((await browser.get("/data")).json()).toEqual({ count: 2 });
      expect(calls).toEqual(["SessionGet"]);

      const sid = sessionIdOf(await browser.cookie(COOKIE_NAME));
      expect((await client.getSession(sid))?.data).toMatchObject({ count: 2 });
    } finally {
      await app.close();
    }
  });

  it("answers 5xx, not 200, when the vault is down for the write", async () => {
    const app = await listen();
    const without = await listen({ saveFirst: false });
    await vault.stop();
    try {
      // A browser without a cookie: no load, so the save is the only vault call.
      const failed = await createCookieJarClient(app.url).get("/count");
      expect(failed.status).toBe(500);
      expect(failed.json<{ error: string }>().error).toBe("vault_unavailable");
      // What this middleware exists for: express-session alone answers 200 and loses the write.
      expect((await createCookieJarClient(without.url).get("/count")).status).toBe(200);
    } finally {
      await vault.restart();
      await app.close();
      await without.close();
    }
  });

  it("answers 5xx when the vault goes down after the load, and keeps the stored session", async () => {
    const app = await listen();
    try {
      const browser = createCookieJarClient(app.url);
      await browser.get("/count");
      try {
        const failed = await browser.get("/count-then-outage");
        expect(failed.status).toBe(500);
        expect(failed.json<{ error: string }>().error).toBe("vault_unavailable");
      } finally {
        await vault.restart();
      }
      expect((await browser.get("/count")).json()).toEqual({ count: 2 });
    } finally {
      await app.close();
    }
  });

  it("answers 5xx to a strict-mode write of PII, and stores nothing of it", async () => {
    const app = await listen({ strict: true });
    try {
      const browser = createCookieJarClient(app.url);
      await browser.get("/count");
      const sid = sessionIdOf(await browser.cookie(COOKIE_NAME));

      calls.length = 0;
      const refused = await browser.get("/email", { redirect: "manual" });
      expect(refused.status).toBe(500);
      expect(refused.json<{ error: string }>().error).toBe("pii_refused");
      expect(calls).toEqual(["SessionGet"]);

      const stored = await client.getSession(sid);
      expect(stored?.data).toMatchObject({ count: 1 });
      expect(stored?.data).not.toHaveProperty("user");
      expect((await browser.get("/count")).json()).toEqual({ count: 2 });
    } finally {
      await app.close();
    }
  });
});

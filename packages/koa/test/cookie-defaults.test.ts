import type { Server } from "node:http";
import { startVault } from "@sessionvault/testkit";
import Koa from "koa";
import session from "koa-session";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VaultStore, vaultSessionOptions } from "../src/index.js";

type Vault = Awaited<ReturnType<typeof startVault>>;
let vault: Vault;
let server: Server;
let url: string;

beforeAll(async () => {
  vault = await startVault();
  const app = new Koa();
  app.keys = ["cookie-defaults test key"];
  const store = new VaultStore({ baseUrl: vault.url, token: vault.token });
  app.use(session(vaultSessionOptions({ store, key: "sid" }), app));
  app.use((ctx) => {
    const sess = ctx.session as unknown as { n?: number };
    sess.n = (sess.n ?? 0) + 1;
    ctx.body = { n: sess.n };
  });
  server = await new Promise((resolve) => {
    const listening = app.listen(0, "127.0.0.1", () => resolve(listening));
  });
  const address = server.address();
  url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
}, 60_000);

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await vault?.destroy();
});

describe("koa cookie defaults", () => {
  it("sends SameSite=Lax and HttpOnly when the app sets neither, like the other adapters", async () => {
    const res = await fetch(url);
    const cookies = res.headers.getSetCookie().filter((c) => c.startsWith("sid="));
    expect(cookies).toHaveLength(1);
    expect(cookies[0]?.toLowerCase()).toContain("samesite=lax");
    expect(cookies[0]?.toLowerCase()).toContain("httponly");
    expect(cookies[0]).toMatch(/^sid=[A-Za-z0-9_-]{43};/);
  });
});

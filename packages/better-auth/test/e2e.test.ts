import { readdirSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { createVaultClient } from "@sessionvault/client";
import { type RunningVault, startVault } from "@sessionvault/testkit";
import { betterAuth } from "better-auth";
import { memoryAdapter } from "better-auth/adapters/memory";
import { toNodeHandler } from "better-auth/node";
import { afterAll, beforeAll, expect, it } from "vitest";
import { vaultSecondaryStorage } from "../src/index.js";

// A real better-auth app in a real Node HTTP server, its sessions in a real vault.

let vault: RunningVault;
let server: Server;
let base = "";
const email = `grace-${Math.random().toString(36).slice(2)}@example.com`;
const name = `Grace Hopper ${Math.random().toString(36).slice(2)}`;

beforeAll(async () => {
  vault = await startVault({ driver: "sqlite" });
  server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const auth = betterAuth({
    baseURL: base,
    secret: "a-test-secret-that-is-long-enough-0123456789",
    database: memoryAdapter({ user: [], account: [], session: [], verification: [] }),
    secondaryStorage: vaultSecondaryStorage({ vault: createVaultClient({ baseUrl: vault.url, token: vault.token }) }),
    emailAndPassword: { enabled: true },
    telemetry: { enabled: false },
  });
  server.on("request", toNodeHandler(auth));
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await vault?.destroy();
});

const call = async (path: string, cookie?: string, body?: unknown) => {
  const response = await fetch(`${base}/api/auth${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: {
      origin: base,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
      ...(cookie ? { cookie } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const setCookie = response.headers.getSetCookie().find((c) => c.startsWith("better-auth.session_token="));
  return { status: response.status, json: (await response.json()) as unknown, cookie: setCookie?.split(";")[0] };
};

it("signs in twice, lists both sessions with listSessions, revokes one, and the revoked cookie is refused", async () => {
  const password = "correct horse battery staple";
  expect((await call("/sign-up/email", undefined, { email, password, name })).status).toBe(200);
  const a = await call("/sign-in/email", undefined, { email, password });
  const b = await call("/sign-in/email", undefined, { email, password });
  expect(a.status).toBe(200);
  expect(a.cookie && b.cookie).toBeTruthy();

  const sessionB = (await call("/get-session", b.cookie)).json as { session: { token: string } } | null;
  expect(sessionB?.session.token).toBeTruthy();
  const listed = (await call("/list-sessions", a.cookie)).json as { token: string }[];
  expect(listed.map((s) => s.token)).toContain(sessionB!.session.token);
  expect(listed.length).toBeGreaterThanOrEqual(2);

  expect((await call("/revoke-session", a.cookie, { token: sessionB!.session.token })).status).toBe(200);
  expect((await call("/get-session", b.cookie)).json).toBeNull();
  expect((await call("/list-sessions", b.cookie)).status).toBe(401);
  expect(((await call("/get-session", a.cookie)).json as { user: { email: string } }).user.email).toBe(email);
  const after = (await call("/list-sessions", a.cookie)).json as { token: string }[];
  expect(after.map((s) => s.token)).not.toContain(sessionB!.session.token);

  // The sessions better-auth cached (with the user's email and name) are encrypted at rest.
  const files = readdirSync(vault.dataDir).filter((f) => f.startsWith("vault.db"));
  expect(files).toContain("vault.db");
  for (const file of files) {
    const bytes = readFileSync(join(vault.dataDir, file));
    for (const secret of [email, name, sessionB!.session.token])
      expect(bytes.includes(Buffer.from(secret))).toBe(false);
  }
});

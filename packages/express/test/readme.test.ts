// Runs the README's quickstart exactly as written, against a real vault.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createVaultClient } from "@sessionvault/client";
import {
  checkSignInAndOut,
  counterPageRoutes,
  createCookieJarClient,
  runReadmeQuickstart,
  startVault,
} from "@sessionvault/testkit";
import { afterAll, beforeAll, expect, it } from "vitest";
import { sessionIdOf } from "./app.js";

const packageDir = join(dirname(fileURLToPath(import.meta.url)), "..");
type Vault = Awaited<ReturnType<typeof startVault>>;
let vault: Vault;

beforeAll(async () => {
  vault = await startVault();
});

afterAll(async () => {
  await vault?.destroy();
});

it("the README quickstart keeps a visit counter in the vault", async () => {
  const app = await runReadmeQuickstart(packageDir, { SESSIONVAULT_URL: vault.url, SESSIONVAULT_TOKEN: vault.token });
  try {
    const browser = createCookieJarClient(app.url);
    expect((await browser.get("/")).text).toBe("You have been here 1 times.");
    expect((await browser.get("/")).text).toBe("You have been here 2 times.");

    const sid = sessionIdOf(await browser.cookie("connect.sid"));
    const client = createVaultClient({ baseUrl: vault.url, token: vault.token });
    expect((await client.getSession(sid))?.data).toMatchObject({ views: 2 });
  } finally {
    app.stop();
  }
});

it("the README quickstart's sign-in rotates the session id and its sign-out deletes the session", async () => {
  const app = await runReadmeQuickstart(packageDir, { SESSIONVAULT_URL: vault.url, SESSIONVAULT_TOKEN: vault.token });
  try {
    await checkSignInAndOut(app.url, counterPageRoutes("connect.sid"));
  } finally {
    app.stop();
  }
});

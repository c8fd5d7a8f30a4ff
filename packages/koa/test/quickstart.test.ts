// Runs the README's quickstart block exactly as written, against a real vault.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createVaultClient } from "@sessionvault/client";
import {
  checkSignInAndOut,
  counterPageRoutes,
  createCookieJarClient,
  type RunningQuickstart,
  runReadmeQuickstart,
  startVault,
} from "@sessionvault/testkit";
import { afterAll, beforeAll, expect, it } from "vitest";

const packageDir = join(dirname(fileURLToPath(import.meta.url)), "..");
type Vault = Awaited<ReturnType<typeof startVault>>;

let vault: Vault;
let app: RunningQuickstart | undefined;

beforeAll(async () => {
  vault = await startVault();
});

afterAll(async () => {
  app?.stop();
  await vault?.destroy();
});

it("runs the README quickstart as written: the count survives across requests", async () => {
  app = await runReadmeQuickstart(packageDir, { SESSIONVAULT_URL: vault.url, SESSIONVAULT_TOKEN: vault.token });

  const browser = createCookieJarClient(app.url);
  expect((await browser.get("/")).text).toBe("You have been here 1 times.");
  expect((await browser.get("/")).text).toBe("You have been here 2 times.");
  const sid = (await browser.cookie("koa.sess"))!;
  const client = createVaultClient({ baseUrl: vault.url, token: vault.token });
  expect((await client.getSession(sid))?.data).toMatchObject({ views: 2 });
});

it("the README quickstart's sign-in rotates the session id and its sign-out deletes the session", async () => {
  if (!app) throw new Error("the first test starts the quickstart");
  await checkSignInAndOut(app.url, counterPageRoutes("koa.sess"));
});

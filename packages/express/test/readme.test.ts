// Runs the README's quickstart exactly as written, against a real vault.
import { spawn } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createVaultClient } from "@sessionvault/client";
import { createCookieJarClient, freePort, startVault } from "@sessionvault/testkit";
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

function quickstart(): string {
  const readme = readFileSync(join(packageDir, "README.md"), "utf8");
  const block = /<!-- quickstart:start -->\s*```js\n([\s\S]*?)```\s*<!-- quickstart:end -->/.exec(readme);
  if (!block?.[1]) throw new Error("README has no quickstart block");
  return block[1];
}

it("the README quickstart keeps a visit counter in the vault", async () => {
  // Inside the package folder, so that `@sessionvault/express` resolves to this package's build.
  const file = join(packageDir, `.quickstart-${process.pid}.mjs`);
  writeFileSync(file, quickstart());
  const port = await freePort();
  const child = spawn(process.execPath, [file], {
    cwd: packageDir,
    env: { ...process.env, SESSIONVAULT_URL: vault.url, SESSIONVAULT_TOKEN: vault.token, PORT: String(port) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  try {
    let output = "";
    child.stdout.on("data", (d) => {
      output += d;
    });
    child.stderr.on("data", (d) => {
      output += d;
    });
    await expect.poll(() => output, { timeout: 15_000 }).toContain(`listening on http://127.0.0.1:${port}`);

    const browser = createCookieJarClient(`http://127.0.0.1:${port}`);
    expect((await browser.get("/")).text).toBe("You have been here 1 times.");
    expect((await browser.get("/")).text).toBe("You have been here 2 times.");

    const sid = sessionIdOf(await browser.cookie("connect.sid"));
    const client = createVaultClient({ baseUrl: vault.url, token: vault.token });
    expect((await client.getSession(sid))?.data).toMatchObject({ views: 2 });
  } finally {
    child.kill();
    rmSync(file, { force: true });
  }
});

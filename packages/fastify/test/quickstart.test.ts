// Runs the README's quickstart block exactly as written, against a real vault.
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createVaultClient } from "@sessionvault/client";
import { createCookieJarClient, startVault } from "@sessionvault/testkit";
import { afterAll, beforeAll, expect, it } from "vitest";

const packageDir = join(dirname(fileURLToPath(import.meta.url)), "..");
type Vault = Awaited<ReturnType<typeof startVault>>;

function quickstartBlock(): string {
  const readme = readFileSync(join(packageDir, "README.md"), "utf8");
  const match = /<!-- quickstart:start -->\s*```js\n([\s\S]*?)```\s*<!-- quickstart:end -->/.exec(readme);
  if (!match?.[1]) throw new Error("README.md has no quickstart block");
  return match[1];
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

let vault: Vault;
let child: ChildProcess | undefined;
// Inside the package, so that `@sessionvault/fastify` resolves to this package's build.
const script = join(packageDir, `.quickstart-${process.pid}.mjs`);

beforeAll(async () => {
  vault = await startVault();
});

afterAll(async () => {
  child?.kill();
  rmSync(script, { force: true });
  await vault?.destroy();
});

it("runs the README quickstart as written: the count survives across requests", async () => {
  writeFileSync(script, quickstartBlock());
  const port = await freePort();
  child = spawn(process.execPath, [script], {
    cwd: packageDir,
    env: { ...process.env, PORT: String(port), SESSIONVAULT_URL: vault.url, SESSIONVAULT_TOKEN: vault.token },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stderr?.on("data", (chunk) => {
    output += chunk;
  });
  await new Promise<void>((resolve, reject) => {
    child?.stdout?.on("data", (chunk) => {
      output += chunk;
      if (output.includes("listening on")) resolve();
    });
    child?.on("exit", (code) => reject(new Error(`quickstart exited with ${code}: ${output}`)));
  });

  const browser = createCookieJarClient(`http://127.0.0.1:${port}`);
  expect((await browser.get("/")).text).toBe("You have been here 1 times.");
  expect((await browser.get("/")).text).toBe("You have been here 2 times.");
  const cookie = decodeURIComponent((await browser.cookie("sessionId")) ?? "");
  const sid = cookie.slice(0, cookie.lastIndexOf("."));
  const client = createVaultClient({ baseUrl: vault.url, token: vault.token });
  expect((await client.getSession(sid))?.data).toMatchObject({ views: 2 });
});

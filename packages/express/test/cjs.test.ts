// The published CommonJS build works for `require()` users, end to end against a real vault.
import { execFile } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { startVault } from "@sessionvault/testkit";
import { afterAll, beforeAll, expect, it } from "vitest";

const packageDir = join(dirname(fileURLToPath(import.meta.url)), "..");
type Vault = Awaited<ReturnType<typeof startVault>>;
let vault: Vault;

beforeAll(async () => {
  vault = await startVault();
});

afterAll(async () => {
  await vault?.destroy();
});

it("require('@sessionvault/express') stores and loads a session", async () => {
  const script = `
    const { VaultStore } = require("@sessionvault/express");
    const session = require("express-session");
    const store = new VaultStore({ baseUrl: process.env.SV_URL, token: process.env.SV_TOKEN });
    if (!(store instanceof session.Store)) throw new Error("not an express-session Store");
    const sid = require("node:crypto").randomBytes(32).toString("base64url");
    store.set(sid, { n: 7, cookie: { originalMaxAge: 60000, expires: new Date(Date.now() + 60000).toISOString() } }, (err) => {
      if (err) throw err;
      store.get(sid, (err2, data) => {
        if (err2) throw err2;
        process.stdout.write(JSON.stringify({ n: data.n }));
      });
    });
  `;
  const { stdout } = await promisify(execFile)(process.execPath, ["-e", script], {
    cwd: packageDir,
    env: { ...process.env, SV_URL: vault.url, SV_TOKEN: vault.token },
  });
  expect(JSON.parse(stdout)).toEqual({ n: 7 });
});

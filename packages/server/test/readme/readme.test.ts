import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const readme = readFileSync(join(import.meta.dirname, "..", "..", "README.md"), "utf8");
const dir = mkdtempSync(join(tmpdir(), "sv-readme-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function section(title: string): string {
  const start = readme.indexOf(`## ${title}`);
  const end = readme.indexOf("\n## ", start + 1);
  return readme.slice(start, end === -1 ? undefined : end);
}

describe("README samples", () => {
  it("the programmatic sample starts a vault that serves the contract", async () => {
    const block = /```ts\n([\s\S]*?)```/.exec(section("Programmatic use"))?.[1];
    expect(block).toBeDefined();
    process.env.VAULT_TOKEN = randomBytes(24).toString("base64url");
    process.env.SESSIONVAULT_MASTER_KEY = randomBytes(32).toString("base64");
    // The sample as written, made to run here: a temp data path, a free port, and a
    // request in place of the elision.
    const code = block!
      .replace('"./data/vault.db"', JSON.stringify(join(dir, "vault.db")))
      .replace("listen(3000,", "listen(0,")
      .replace(
        "// ...",
        `const res = await fetch(url + "/v2/SessionUpsert", { method: "POST", headers: { "x-bunker-token": process.env.VAULT_TOKEN! }, body: JSON.stringify({ sessionuuid: "readme-sample-1", sessiondata: { ok: true } }) });
export const status = res.status;`,
      );
    const file = join(import.meta.dirname, `.readme-sample-${process.pid}.ts`);
    writeFileSync(file, code.replace('from "@sessionvault/server"', 'from "../../src/index.js"'));
    try {
      const mod = (await import(file)) as { status: number };
      expect(mod.status).toBe(200);
    } finally {
      rmSync(file, { force: true });
    }
  });

  it("documents every environment variable the CLI reads", () => {
    const cli = readFileSync(join(import.meta.dirname, "..", "..", "src", "cli.ts"), "utf8");
    const used = new Set(cli.match(/SESSIONVAULT_[A-Z_]+/g));
    expect(used.size).toBeGreaterThan(8);
    for (const name of used) expect(section("Running it")).toContain(name);
  });
});

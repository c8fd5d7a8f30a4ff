import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

// The package as npm would install it: packed from dist/, unpacked beside this package's
// node_modules (so its dependencies resolve), and loaded by plain Node, not the test runner.
const PACKAGE_DIR = join(import.meta.dirname, "..", "..");
const scratch = join(PACKAGE_DIR, "node_modules", ".packed-test");
mkdirSync(scratch, { recursive: true });
const work = mkdtempSync(join(scratch, "run-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function unpack(): { dir: string; files: string[] } {
  const packed = JSON.parse(
    execFileSync("npm", ["pack", "--json", "--pack-destination", work], { cwd: PACKAGE_DIR, encoding: "utf8" }),
  ) as { filename: string; files: { path: string }[] }[];
  const tarball = join(work, packed[0]!.filename);
  execFileSync("tar", ["-xzf", tarball, "-C", work]);
  return { dir: join(work, "package"), files: packed[0]!.files.map((f) => f.path) };
}

const SCRIPT = `
const { randomBytes } = require("node:crypto");
const { mkdtempSync, rmSync } = require("node:fs");
const { tmpdir } = require("node:os");
const { join } = require("node:path");
(async () => {
  const mod = process.argv[2] === "cjs" ? require(process.argv[3] + "/dist/index.cjs") : await import(process.argv[3] + "/dist/index.js");
  const dir = mkdtempSync(join(tmpdir(), "sv-packed-"));
  const token = "packed-test-token-0123456789";
  const vault = await mod.createVault({
    storage: { driver: "sqlite", path: join(dir, "vault.db") },
    durability: "fsync",
    accessTokens: [{ id: "t", token }],
    masterKey: randomBytes(32).toString("base64"),
  });
  const url = await vault.listen(0);
  const call = async (op, body) => {
    const res = await fetch(url + "/v2/" + op, { method: "POST", headers: { "x-bunker-token": token, "content-type": "application/json" }, body: JSON.stringify(body) });
    return res.status + " " + (await res.text());
  };
  const wrote = await call("SessionUpsert", { sessionuuid: "packed-session-1", sessiondata: { n: 1 } });
  const read = await call("SessionGet", { sessionuuid: "packed-session-1" });
  await vault.close();
  rmSync(dir, { recursive: true, force: true });
  process.stdout.write(JSON.stringify({ wrote, read: JSON.parse(read.slice(4)).sessiondata }));
})().catch((e) => { process.stderr.write(String(e && e.stack || e)); process.exit(1); });
`;

describe("the packed package", () => {
  const { dir, files } = unpack();
  const script = join(work, "start-vault.cjs");
  writeFileSync(script, SCRIPT);

  it("ships the SQLite writer thread beside the bundles", () => {
    expect(files).toContain("dist/sqlite-writer-thread.js");
    expect(files).toContain("dist/index.js");
    expect(files).toContain("dist/index.cjs");
  });

  for (const format of ["esm", "cjs"]) {
    it(`starts a vault on SQLite with fsync durability from the ${format} build`, () => {
      const run = spawnSync(process.execPath, [script, format, dir], { encoding: "utf8", timeout: 30_000 });
      expect(run.stderr).toBe("");
      expect(run.status).toBe(0);
      expect(JSON.parse(run.stdout)).toEqual({ wrote: '200 {"status":"ok","version":1}', read: { n: 1 } });
    });
  }
});

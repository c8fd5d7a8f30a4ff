// On a Node line the vault does not support, the packed CLI says so in one line with the
// fix and exits non-zero; importing the package does not crash.
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, inject, it } from "vitest";
import { scopedRegistryNpmrc, sh, userEnv } from "./setup/release.js";

const registryUrl = inject("registryUrl");
const workDir = inject("workDir");
const released = inject("released");

/** A Node 20 binary from the registry's `node` package (the line that reached end of life). */
function node20(): string {
  const out = sh("npx", ["--yes", "--package=node@20", "--", "node", "-p", "process.execPath"], {
    cwd: workDir,
    env: userEnv(),
  });
  return out.trim();
}

let installedDir: string | undefined;

describe("the vault on an unsupported Node", () => {
  it("the CLI prints one line naming the Node it needs and how to run it, and exits 1", () => {
    const dir = join(workDir, "apps", "node20");
    mkdirSync(dir, { recursive: true });
    const env = userEnv();
    writeFileSync(join(dir, ".npmrc"), scopedRegistryNpmrc(registryUrl));
    sh("npm", ["init", "-y"], { cwd: dir, env });
    sh("npm", ["install", "--no-audit", "--no-fund", `@sessionvault/server@${released["@sessionvault/server"]}`], {
      cwd: dir,
      env,
    });
    installedDir = dir;
    const node = node20();
    const bin = join(dir, "node_modules", "@sessionvault", "server", "bin", "sessionvault.js");
    const r = spawnSync(node, [bin, "dev"], {
      cwd: dir,
      encoding: "utf8",
      env: { ...env, PATH: `${dirname(node)}:${process.env.PATH}` },
    });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe("");
    const lines = r.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/needs Node\.js 22\.13 or newer \(this is v20\.\d+\.\d+\)/);
    expect(lines[0]).toContain("npx -y -p node@24 -p @sessionvault/server sessionvault dev");
  });

  it("importing the package does not crash; SQLite says which Node it needs, and PostgreSQL without `pg` names the install", () => {
    if (!installedDir) throw new Error("the CLI test installs the package first");
    const script = `
      const { createVault } = await import("@sessionvault/server");
      const base = { accessTokens: [{ id: "a", token: "t".repeat(32) }], masterKey: Buffer.alloc(32, 7).toString("base64") };
      for (const storage of [{ driver: "sqlite", path: "./v.db" }, { driver: "postgres", url: "postgres://127.0.0.1:1/x" }]) {
        try { await createVault({ ...base, storage }); console.log(storage.driver, "started"); }
        catch (error) { console.log(storage.driver, error.message); }
      }`;
    const r = spawnSync(node20(), ["--input-type=module", "-e", script], { cwd: installedDir, encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^sqlite The embedded SQLite storage needs Node\.js 22\.13 or newer \(this is v20\./m);
    expect(r.stdout).toMatch(
      /^postgres PostgreSQL storage needs the `pg` package beside @sessionvault\/server: npm install pg$/m,
    );
  });
});

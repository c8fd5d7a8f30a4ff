// On a Node line the vault does not support, the packed CLI says so in one line with the
// fix and exits non-zero; importing the package does not crash.
import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, inject, it } from "vitest";
import { sh } from "./setup/release.js";

const registryUrl = inject("registryUrl");
const workDir = inject("workDir");
const released = inject("released");

/** A Node 20 binary from the registry's `node` package (the line that reached end of life). */
function node20(): string {
  const out = sh("npx", ["--yes", "--package=node@20", "--", "node", "-p", "process.execPath"], { cwd: workDir });
  return out.trim();
}

describe("the vault on an unsupported Node", () => {
  it("the CLI prints one line naming the Node it needs and how to run it, and exits 1", () => {
    const dir = join(workDir, "apps", "node20");
    mkdirSync(dir, { recursive: true });
    const env = { ...process.env, npm_config_registry: registryUrl };
    sh("npm", ["init", "-y"], { cwd: dir, env });
    sh("npm", ["install", "--no-audit", "--no-fund", `@sessionvault/server@${released["@sessionvault/server"]}`], {
      cwd: dir,
      env,
    });
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
});

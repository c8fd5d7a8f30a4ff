import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type RunningVault, startVault } from "@sessionvault/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// The README's samples run as written: each ts block becomes a module inside this package
// (so `@sessionvault/tokenize` resolves to the built package, as for a user), pointed at a
// real vault through SESSIONVAULT_URL / SESSIONVAULT_TOKEN, and must print what its
// `// => ...` comments announce.

const packageDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const samplesDir = join(packageDir, ".samples");
const readme = readFileSync(join(packageDir, "README.md"), "utf8");
const blocks = [...readme.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1] ?? "");

let vault: RunningVault;
beforeAll(async () => {
  rmSync(samplesDir, { recursive: true, force: true });
  mkdirSync(samplesDir, { recursive: true });
  vault = await startVault();
});
afterAll(async () => {
  await vault?.destroy();
});

function runModule(file: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, SESSIONVAULT_URL: vault.url, SESSIONVAULT_TOKEN: vault.token };
  delete env.NODE_OPTIONS;
  const child = spawn(process.execPath, [file], { cwd: samplesDir, env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve) => child.on("exit", (code) => resolve({ code, stdout, stderr })));
}

describe("README", () => {
  it("has the quickstart and the strict-mode samples", () => {
    expect(blocks.length).toBe(2);
  });

  blocks.forEach((code, index) => {
    it(`sample ${index + 1} runs and prints what it announces`, async () => {
      const file = join(samplesDir, `readme-${index + 1}.mts`);
      writeFileSync(file, code);
      const result = await runModule(file);
      expect(result.code, result.stderr).toBe(0);
      const expected = [...code.matchAll(/\/\/ => (.+)$/gm)].map((m) => (m[1] ?? "").trim());
      expect(expected.length).toBeGreaterThan(0);
      let from = 0;
      for (const marker of expected) {
        const at = result.stdout.indexOf(marker, from);
        expect(at, `"${marker}" in:\n${result.stdout}`).toBeGreaterThanOrEqual(0);
        from = at + marker.length;
      }
    });
  });
});

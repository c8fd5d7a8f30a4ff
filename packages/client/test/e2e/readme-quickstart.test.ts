import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningVault, startVault } from "./vault.js";

const packageDir = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const run = promisify(execFile);

/** The README's quickstart: the first ```ts block after the quickstart marker, as written. */
async function quickstart(): Promise<string> {
  const readme = await readFile(join(packageDir, "README.md"), "utf8");
  const marker = readme.indexOf("<!-- quickstart");
  expect(marker).toBeGreaterThan(-1);
  const block = /```ts\n([\s\S]*?)```/.exec(readme.slice(marker));
  expect(block).not.toBeNull();
  return block![1] as string;
}

describe("the README quickstart", () => {
  let vault: RunningVault;
  let dir: string;

  beforeAll(async () => {
    vault = await startVault();
    // Inside the package, so `@sessionvault/client` resolves to this package's build
    // through its own exports map, as it would from node_modules.
    dir = await mkdtemp(join(packageDir, ".quickstart-"));
  });
  afterAll(async () => {
    await vault?.destroy();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("runs as written with Node against a real vault, and again against the same vault", async () => {
    const file = join(dir, "quickstart.mts");
    await writeFile(file, await quickstart());
    const env = { ...process.env, SESSIONVAULT_URL: vault.url, SESSIONVAULT_TOKEN: vault.token };
    for (let round = 0; round < 2; round++) {
      const { stdout, stderr } = await run(process.execPath, [file], { env, cwd: dir });
      expect(stdout.trim().split("\n")).toEqual(["[ 'sku-1' ]", "true", "null"]);
      expect(stderr).not.toMatch(/Error/);
    }
  });

  it("type-checks under strict settings", async () => {
    const file = join(dir, "typed.mts");
    await writeFile(file, await quickstart());
    const program = ts.createProgram([file], {
      strict: true,
      noUncheckedIndexedAccess: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      types: ["node"],
      typeRoots: [join(packageDir, "node_modules", "@types"), join(packageDir, "..", "..", "node_modules", "@types")],
      skipLibCheck: true,
      noEmit: true,
    });
    const diagnostics = ts
      .getPreEmitDiagnostics(program)
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
    expect(diagnostics).toEqual([]);
  });
});

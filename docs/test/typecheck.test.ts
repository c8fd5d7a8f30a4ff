import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { docsRoot, pages, samplesOf } from "./markdown.js";
import { run } from "./processes.js";

// The samples must also be right for the type checker, the way a reader's editor sees them:
// strict TypeScript against the packages' published types. (The Next.js app's files are
// type-checked by `next build` in samples.test.ts.)

const require = createRequire(import.meta.url);
const tsc = require.resolve("typescript/bin/tsc");
const dir = join(docsRoot, ".samples", "typecheck");

describe("docs samples type-check", () => {
  it("every script and server sample compiles under strict TypeScript", async () => {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const samples = pages()
      .flatMap((page) => samplesOf(page))
      .filter((s) => !s.attrs.has("file") && (s.lang === "ts" || s.lang === "typescript"));
    expect(samples.length).toBeGreaterThan(10);
    for (const s of samples) {
      writeFileSync(join(dir, `${s.page.replace(/\.md$/, "").replace(/[^a-z0-9]+/gi, "-")}-L${s.line}.mts`), s.code);
    }
    writeFileSync(
      join(dir, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          target: "ES2022",
          lib: ["ES2023", "DOM"],
          module: "NodeNext",
          moduleResolution: "NodeNext",
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          types: ["node"],
        },
        include: ["*.mts"],
      }),
    );
    const result = await run(process.execPath, [tsc, "-p", dir], { cwd: dir, env: process.env, timeoutMs: 120_000 });
    expect(result.code, result.output).toBe(0);
  });
});

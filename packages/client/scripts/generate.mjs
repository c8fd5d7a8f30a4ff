#!/usr/bin/env node
// Generates src/generated/schema.ts from the one contract, openapi/sessionvault.yaml.
//
//   node scripts/generate.mjs           write src/generated/schema.ts
//   node scripts/generate.mjs --check   regenerate into a temp file and fail when it
//                                       differs from the committed one (drift check)
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import openapiTS, { astToString } from "openapi-typescript";

const packageDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const specPath = join(packageDir, "..", "..", "openapi", "sessionvault.yaml");
const outPath = join(packageDir, "src", "generated", "schema.ts");

const HEADER = `// generated — do not edit.
// Source: openapi/sessionvault.yaml. Regenerate with \`pnpm --filter @sessionvault/client run generate\`;
// CI fails when this file drifts from the contract (\`run check:generated\`).
/* eslint-disable */
`;

async function render() {
  const ast = await openapiTS(pathToFileURL(specPath), {
    // A `default` is applied by the vault, so the caller may leave the field out.
    defaultNonNullable: false,
  });
  return `${HEADER}\n${astToString(ast)}`;
}

const check = process.argv.includes("--check");
const source = await render();

if (!check) {
  await writeFile(outPath, source);
  console.log(`wrote ${relative(process.cwd(), outPath)}`);
} else {
  const dir = await mkdtemp(join(tmpdir(), "sv-client-generate-"));
  try {
    const fresh = join(dir, "schema.ts");
    await writeFile(fresh, source);
    const [committed, regenerated] = await Promise.all([
      readFile(outPath, "utf8").catch(() => null),
      readFile(fresh, "utf8"),
    ]);
    if (committed === null) {
      console.error(`${relative(process.cwd(), outPath)} is missing; run \`npm run generate\``);
      process.exit(1);
    }
    if (committed !== regenerated) {
      const a = committed.split("\n");
      const b = regenerated.split("\n");
      let line = 0;
      while (line < Math.max(a.length, b.length) && a[line] === b[line]) line++;
      console.error(
        `${relative(process.cwd(), outPath)} is out of date with openapi/sessionvault.yaml ` +
          `(first difference at line ${line + 1}); run \`npm run generate\` and commit the result.`,
      );
      console.error(`- committed:   ${a[line] ?? "<end of file>"}`);
      console.error(`+ regenerated: ${b[line] ?? "<end of file>"}`);
      process.exit(1);
    }
    console.log(`${relative(process.cwd(), outPath)} matches the contract`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

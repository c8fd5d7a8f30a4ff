#!/usr/bin/env node
// Turns openapi/sessionvault.yaml into src/generated/contract.ts (the spec as JSON) so the
// vault validates requests against exactly the published contract. `--check` fails when
// the committed file has drifted from the YAML.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";

const here = dirname(fileURLToPath(import.meta.url));
const specPath = join(here, "..", "..", "..", "openapi", "sessionvault.yaml");
const outPath = join(here, "..", "src", "generated", "contract.ts");

const spec = parse(readFileSync(specPath, "utf8"));
const text = `// generated — do not edit. Source: openapi/sessionvault.yaml; run \`pnpm run generate\`.
/* eslint-disable */
export const contract = ${JSON.stringify(spec, null, 2)};

export type Contract = typeof contract;
`;

if (process.argv.includes("--check")) {
  let current = "";
  try {
    current = readFileSync(outPath, "utf8");
  } catch {}
  if (current !== text) {
    console.error("src/generated/contract.ts is out of date with openapi/sessionvault.yaml; run `pnpm run generate`.");
    process.exit(1);
  }
} else {
  writeFileSync(outPath, text);
}

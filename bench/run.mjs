// Runs the benchmarks: `node run.mjs [client|server|adapters ...] [-- flags passed through]`.
// Each benchmark measures its own baseline in the same run and prints ratios.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const split = args.indexOf("--");
const names = (split === -1 ? args : args.slice(0, split)).filter((a) => !a.startsWith("-"));
const flags = split === -1 ? args.filter((a) => a.startsWith("-")) : args.slice(split + 1);
const all = ["client", "server", "adapters"];

let failed = false;
for (const name of names.length ? names : all) {
  const dir = join(here, name);
  if (!existsSync(dir)) {
    console.error(`no benchmark named ${name} (have: ${all.join(", ")})`);
    process.exit(2);
  }
  const entries = existsSync(join(dir, "index.mjs"))
    ? ["index.mjs"]
    : readdirSync(dir).filter((f) => f.endsWith(".mjs") && f !== "lib.mjs");
  for (const entry of entries) {
    console.log(`\n=== bench/${name}/${entry}`);
    const r = spawnSync(process.execPath, [join(dir, entry), ...flags], { stdio: "inherit" });
    if (r.status !== 0) failed = true;
  }
}
process.exit(failed ? 1 : 0);

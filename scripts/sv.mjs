#!/usr/bin/env node
// The one entry point for developers and CI. It runs on any Node >= 18 with only npm,
// installs the pinned pnpm and the pinned Node the project develops on (the `node`
// package from the npm registry), then runs the task with that Node first on PATH.
//
//   node scripts/sv.mjs demo        embedded vault + the Next.js dashboard
//   node scripts/sv.mjs test        every check and test (what CI runs)
//   node scripts/sv.mjs bench       the benchmarks in bench/
//   node scripts/sv.mjs <pnpm args> anything else, e.g. `exec turbo run build`
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const pnpmVersion = manifest.packageManager.replace(/^pnpm@/, "").split("+")[0];

function run(cmd, args, env = process.env) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: "inherit", env });
  if (r.error) throw r.error;
  return r.status ?? 1;
}

function havePnpm() {
  const r = spawnSync("pnpm", ["--version"], {
    encoding: "utf8",
    env: { ...process.env, COREPACK_ENABLE_STRICT: "0" },
  });
  return r.status === 0 && r.stdout.trim() === pnpmVersion;
}

// A pnpm of the pinned version on PATH (corepack or a global install) is used as is;
// otherwise npx fetches exactly that version from the registry.
const pnpm = havePnpm() ? ["pnpm"] : ["npx", "--yes", `pnpm@${pnpmVersion}`];
const pnpmRun = (args, env) => run(pnpm[0], [...pnpm.slice(1), ...args], env);

function ensureInstalled() {
  const marker = join(root, "node_modules", ".modules.yaml");
  const lock = join(root, "pnpm-lock.yaml");
  const fresh = existsSync(marker) && (!existsSync(lock) || statSync(marker).mtimeMs >= statSync(lock).mtimeMs);
  if (fresh && existsSync(join(root, "node_modules", "node", "bin"))) return;
  const args = ["install"];
  if (process.env.CI) args.push("--frozen-lockfile");
  const status = pnpmRun(args);
  if (status !== 0) process.exit(status);
}

// The child (pnpm, and through it the demo's servers) gets Ctrl-C/SIGTERM from the
// terminal or CI too; waiting for it lets it shut down cleanly before the prompt returns.
process.on("SIGINT", () => {});
process.on("SIGTERM", () => {});

ensureInstalled();

const nodeBin = join(root, "node_modules", "node", "bin");
const env = {
  ...process.env,
  PATH: [nodeBin, join(root, "node_modules", ".bin"), process.env.PATH].join(delimiter),
  COREPACK_ENABLE_STRICT: "0",
};

const [task = "test", ...rest] = process.argv.slice(2);
const tasks = {
  // Lint, contract checks, generated-code drift, build, type tests, unit + integration
  // tests, package linting. Each step stops the run on failure.
  test: [
    ["exec", "biome", "ci", "."],
    ["exec", "redocly", "lint", "openapi/sessionvault.yaml"],
    ["exec", "turbo", "run", "build", "typecheck", "check:generated", "lint:package"],
    ["exec", "turbo", "run", "test", "--concurrency=1"],
  ],
  demo: [
    ["exec", "turbo", "run", "build", "--filter=next-dashboard..."],
    ["--filter", "next-dashboard", "run", "demo"],
  ],
  bench: [
    ["exec", "turbo", "run", "build"],
    ["--filter", "sessionvault-bench", "run", "bench", ...rest],
  ],
};

const steps = tasks[task] ?? [[task, ...rest]];
for (const step of steps) {
  const status = pnpmRun(step, env);
  if (status !== 0) process.exit(status);
}

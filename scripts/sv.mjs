#!/usr/bin/env node
// The one entry point for developers and CI. It runs on any Node >= 18 with only npm,
// installs the pinned pnpm and the pinned Node the project develops on (the `node`
// package from the npm registry), then runs the task with that Node first on PATH.
//
//   node scripts/sv.mjs demo        embedded vault + the Next.js dashboard
//   node scripts/sv.mjs test        every check and test (what CI runs)
//   node scripts/sv.mjs bench       the benchmarks in bench/
//   node scripts/sv.mjs <pnpm args> anything else, e.g. `exec turbo run build`
import { spawn, spawnSync } from "node:child_process";
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
  // CI installs exactly the committed lockfile. `--frozen-lockfile` would say so by itself,
  // but in this workspace pnpm's frozen path leaves out one optional platform package
  // (vite 5's esbuild binary) that `--fix-lockfile` installs; the check below keeps the
  // guarantee that the lockfile is used as committed.
  const lockBefore = process.env.CI && existsSync(lock) ? readFileSync(lock, "utf8") : null;
  if (process.env.CI) args.push("--fix-lockfile");
  const status = pnpmRun(args);
  if (status !== 0) process.exit(status);
  if (lockBefore !== null && readFileSync(lock, "utf8") !== lockBefore) {
    console.error(
      "pnpm-lock.yaml is out of date with the package manifests: run `node scripts/sv.mjs install` and commit it",
    );
    process.exit(1);
  }
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

// The second Node line the packages are tested on (the vault needs >= 22.13).
const secondNode = "22.23.3";
const secondNodePackages = [
  "packages/client",
  "packages/session",
  "packages/server",
  "packages/tokenize",
  "packages/express",
  "packages/koa",
  "packages/fastify",
];

const tasks = {
  // Lint, contract checks, generated-code drift, builds, packaging, the release and fresh
  // apps installed from it, type tests, unit and integration tests on the pinned Node, then
  // the core packages again on Node 22.
  test: [
    ["exec", "biome", "ci", "."],
    ["exec", "node", "scripts/package-metadata.mjs", "--check"],
    ["exec", "redocly", "lint", "openapi/sessionvault.yaml"],
    ["exec", "turbo", "run", "build", "typecheck", "check:generated", "lint:package", "--continue"],
    // The release as users get it: changesets into a local registry, fresh apps from the READMEs.
    ["--filter", "@sessionvault/consumer-tests", "run", "test:release"],
    ["exec", "turbo", "run", "test", "--concurrency=1", "--continue"],
    ["exec", "bash", "go/scripts/test.sh"],
    ["exec", "bash", "python/scripts/test.sh"],
    { node: secondNode, packages: secondNodePackages },
  ],
  demo: [
    ["exec", "turbo", "run", "build", "--filter=next-dashboard...", "--output-logs=errors-only"],
    ["--silent", "--filter", "next-dashboard", "run", "demo"],
  ],
  bench: [
    ["exec", "turbo", "run", "build"],
    ["--filter", "sessionvault-bench", "run", "bench", ...rest],
  ],
};

/** Path of a Node binary of that version, fetched from the npm registry's `node` package. */
function nodeBinDir(version) {
  const r = spawnSync("npx", ["--yes", `--package=node@${version}`, "--", "node", "-p", "process.execPath"], {
    cwd: root,
    encoding: "utf8",
    env: process.env,
  });
  if (r.status !== 0) throw new Error(`could not install Node ${version}: ${r.stderr}`);
  return dirname(r.stdout.trim());
}

/** Runs pnpm, mirroring its output, and counts vitest's per-package totals. */
function runCounted(args, stepEnv, totals, command = pnpm, cwd = root) {
  return new Promise((resolve) => {
    const child = spawn(command[0], [...command.slice(1), ...args], {
      cwd,
      env: stepEnv,
      stdio: ["inherit", "pipe", "inherit"],
    });
    let tail = "";
    child.stdout.on("data", (chunk) => {
      process.stdout.write(chunk);
      const text = tail + chunk.toString("utf8");
      const lines = text.split("\n");
      tail = lines.pop() ?? "";
      for (const line of lines) count(line, totals);
    });
    child.on("close", (code, signal) => {
      count(tail, totals);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

function count(line, totals) {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: strips terminal colours
  const plain = line.replace(/\u001b\[[0-9;]*m/g, "");
  const m = /^\s*Tests\s+(.*)\(\d+\)\s*$/.exec(plain.replace(/^[^:\s]*:[^:\s]*:\s?/, ""));
  if (!m) return;
  for (const [, n, kind] of m[1].matchAll(/(\d+) (passed|failed|skipped|todo)/g)) totals[kind] += Number(n);
}

const steps = tasks[task] ?? [[task, ...rest]];
const totals = { passed: 0, failed: 0, skipped: 0, todo: 0 };
const failedSteps = [];
for (const step of steps) {
  if (!Array.isArray(step)) {
    // vitest straight from the second Node binary: pnpm would put the workspace's own
    // pinned `node` back first on PATH for its scripts.
    const dir = nodeBinDir(step.node);
    const stepEnv = {
      ...env,
      PATH: [dir, join(root, "node_modules", ".bin"), process.env.PATH].join(delimiter),
      SV_NODE_LINE: step.node,
    };
    const vitest = join(root, "node_modules", "vitest", "vitest.mjs");
    for (const pkg of step.packages) {
      console.log(`\n== ${pkg} on Node ${step.node}`);
      const status = await runCounted(["run"], stepEnv, totals, [join(dir, "node"), vitest], join(root, pkg));
      if (status !== 0) failedSteps.push(`${pkg} on Node ${step.node}`);
    }
    continue;
  }
  const args = step;
  const status = task === "test" ? await runCounted(args, env, totals) : pnpmRun(args, env);
  if (status !== 0) {
    if (task !== "test") process.exit(status);
    failedSteps.push(args.join(" "));
  }
}
if (task === "test") {
  for (const s of failedSteps) console.error(`failed step: ${s}`);
  // One closing line with every vitest total across packages and Node lines.
  console.log(`\nvitest: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped + totals.todo} skipped`);
  process.exit(failedSteps.length || totals.failed ? 1 : 0);
}

#!/usr/bin/env node
// What our packages cost a user, per framework: the packed tarballs, the node_modules they
// add to a fresh app, and how many packages they bring (ours and third-party). Measured for
// the working tree ("after") and, with --before <commit>, for an older commit built and
// packed in a git worktree of its own ("before"), against the same framework installs.
//
//   node scripts/sv.mjs exec node scripts/package-sizes.mjs [--before <commit>] [--keep]
//
// Each app is made as a user makes one: `npm init -y`, the framework from the registry,
// then our tarballs (the package and the @sessionvault packages it depends on) on top.
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { values } = parseArgs({ options: { before: { type: "string" }, keep: { type: "boolean" } } });

const FRAMEWORKS = {
  express: { theirs: ["express@5", "express-session@1"], ours: "@sessionvault/express" },
  koa: { theirs: ["koa@3", "koa-session@7"], ours: "@sessionvault/koa" },
  fastify: { theirs: ["fastify@5", "@fastify/session@11", "@fastify/cookie@11"], ours: "@sessionvault/fastify" },
  next: { theirs: ["next@16", "react@19", "react-dom@19"], ours: "@sessionvault/next" },
  // The vault, as `npx -p @sessionvault/server` or a production install gets it.
  server: { theirs: [], ours: "@sessionvault/server" },
};

/** A user's environment for npm: nothing of the pnpm run this script may be inside. */
function userEnv() {
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(npm_|pnpm_|PNPM_)/i.test(key) && key !== "NODE_OPTIONS") env[key] = value;
  }
  return { ...env, npm_config_audit: "false", npm_config_fund: "false", npm_config_update_notifier: "false" };
}

function sh(cmd, args, cwd, env = userEnv()) {
  return execFileSync(cmd, args, { cwd, env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 1 << 26 });
}

/** Public packages of a source tree: name -> { dir, internal deps }. */
function publicPackages(tree) {
  const out = new Map();
  for (const entry of readdirSync(join(tree, "packages"))) {
    const file = join(tree, "packages", entry, "package.json");
    if (!existsSync(file)) continue;
    const manifest = JSON.parse(readFileSync(file, "utf8"));
    if (manifest.private) continue;
    const internal = Object.keys(manifest.dependencies ?? {}).filter((d) => d.startsWith("@sessionvault/"));
    out.set(manifest.name, { dir: join(tree, "packages", entry), internal });
  }
  return out;
}

/** Builds and packs every public package of `tree` into `into`; returns name -> tarball path. */
function packAll(tree, into) {
  mkdirSync(into, { recursive: true });
  const packages = publicPackages(tree);
  pnpmRun(["exec", "turbo", "run", "build", "--filter=./packages/*", "--output-logs=errors-only"], tree);
  const tarballs = new Map();
  for (const [name, { dir }] of packages) {
    const before = new Set(readdirSync(into));
    pnpmRun(["pack", "--pack-destination", into], dir);
    const made = readdirSync(into).find((f) => !before.has(f));
    if (!made) throw new Error(`pnpm pack of ${name} wrote no tarball`);
    tarballs.set(name, join(into, made));
  }
  return { packages, tarballs };
}

function closure(name, packages, seen = new Set()) {
  if (seen.has(name)) return seen;
  seen.add(name);
  for (const dep of packages.get(name)?.internal ?? []) closure(dep, packages, seen);
  return seen;
}

/** Every installed package (npm's hidden lockfile lists each node_modules folder). */
function installed(app) {
  const lock = join(app, "node_modules", ".package-lock.json");
  if (!existsSync(lock)) return new Set();
  return new Set(
    Object.keys(JSON.parse(readFileSync(lock, "utf8")).packages).filter((p) => p.includes("node_modules")),
  );
}

function bytes(path) {
  if (!existsSync(path)) return 0;
  return Number(sh("du", ["-sk", path], root).split(/\s+/)[0]) * 1024;
}

/** The pnpm running this script (pnpm sets npm_execpath), else the one on PATH. */
const pnpm = process.env.npm_execpath?.includes("pnpm") ? [process.execPath, process.env.npm_execpath] : ["pnpm"];
const pnpmRun = (args, cwd) => sh(pnpm[0], [...pnpm.slice(1), ...args], cwd, { ...process.env });

const kb = (n) => `${(n / 1024).toFixed(1)} kB`;
const mb = (n) => `${(n / 1024 / 1024).toFixed(1)} MB`;

const work = mkdtempSync(join(tmpdir(), "sessionvault-sizes-"));
try {
  const trees = [["after", root]];
  if (values.before) {
    const tree = join(work, "before-tree");
    sh("git", ["worktree", "add", "--detach", tree, values.before], root, process.env);
    pnpmRun(["install", "--frozen-lockfile", "--prefer-offline", "--reporter=silent"], tree);
    trees.unshift([`before (${values.before.slice(0, 7)})`, tree]);
  }
  const builds = trees.map(([label, tree]) => ({
    label,
    ...packAll(tree, join(work, "tarballs", label.split(" ")[0])),
  }));

  // One framework install per framework, shared by every source tree measured.
  const baselines = {};
  for (const [framework, { theirs }] of Object.entries(FRAMEWORKS)) {
    const app = join(work, "apps", `${framework}-only`);
    mkdirSync(app, { recursive: true });
    sh("npm", ["init", "-y"], app);
    if (theirs.length) sh("npm", ["install", ...theirs], app);
    baselines[framework] = { app, packages: installed(app), bytes: bytes(join(app, "node_modules")) };
  }

  const rows = [];
  for (const build of builds) {
    for (const [framework, { ours }] of Object.entries(FRAMEWORKS)) {
      const names = [...closure(ours, build.packages)].sort();
      const tarballs = names.map((n) => build.tarballs.get(n));
      const base = baselines[framework];
      const app = join(work, "apps", `${framework}-${build.label.split(" ")[0]}`);
      cpSync(base.app, app, { recursive: true });
      let error = "";
      try {
        sh("npm", ["install", ...tarballs], app);
      } catch (e) {
        error =
          String(e.stderr ?? e)
            .split("\n")
            .find((l) => /ERR|error/.test(l)) ?? "install failed";
      }
      const after = installed(app);
      const added = [...after].filter((p) => !base.packages.has(p));
      const ourAdded = added.filter((p) => p.includes("node_modules/@sessionvault/"));
      rows.push({
        tree: build.label,
        framework,
        packages: names.map((n) => n.replace("@sessionvault/", "")).join(" + "),
        tarball: tarballs.reduce((sum, t) => sum + statSync(t).size, 0),
        tarballFiles: tarballs.reduce((sum, t) => sum + sh("tar", ["-tzf", t], root).trim().split("\n").length, 0),
        installBytes: bytes(join(app, "node_modules")) - base.bytes,
        ours: ourAdded.length,
        thirdParty: added.length - ourAdded.length,
        thirdPartyNames: added
          .filter((p) => !ourAdded.includes(p))
          .map((p) => p.slice(p.lastIndexOf("node_modules/") + "node_modules/".length))
          .sort(),
        frameworkPackages: base.packages.size,
        error,
      });
    }
  }

  console.log(
    "\n| tree | app | our packages | tarballs (packed, files) | node_modules added | packages added: ours + third-party | the framework's own packages |",
  );
  console.log("| --- | --- | --- | --- | --- | --- | --- |");
  for (const r of rows) {
    const install = r.error ? `install failed: ${r.error.trim()}` : mb(r.installBytes);
    console.log(
      `| ${r.tree} | ${r.framework} | ${r.packages} | ${kb(r.tarball)}, ${r.tarballFiles} files | ${install} | ${r.ours} + ${r.thirdParty} | ${r.frameworkPackages} |`,
    );
  }
  console.log("\nthird-party packages ours add (beyond what the framework already installed):");
  for (const r of rows) console.log(`  ${r.tree} ${r.framework}: ${r.thirdPartyNames.join(", ") || "none"}`);
} finally {
  if (values.before) {
    try {
      sh("git", ["worktree", "remove", "--force", join(work, "before-tree")], root, process.env);
    } catch {
      // already gone
    }
  }
  if (values.keep) console.log(`\nkept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}

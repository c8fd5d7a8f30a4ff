#!/usr/bin/env node
// Runs before a package is packed (its `prepack` script): builds it, and first the
// workspace packages it depends on, whenever a build is missing or older than its
// sources, so a tarball always holds the `dist/` its `exports` name.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const packagesDir = join(root, "packages");
const byName = new Map();
for (const entry of readdirSync(packagesDir)) {
  const manifestPath = join(packagesDir, entry, "package.json");
  if (existsSync(manifestPath)) {
    byName.set(JSON.parse(readFileSync(manifestPath, "utf8")).name, join(packagesDir, entry));
  }
}

/** Modification times of the files under `path` (a file or a folder); none when it is missing. */
function fileTimes(path) {
  if (!existsSync(path)) return [];
  const info = statSync(path);
  if (!info.isDirectory()) return [info.mtimeMs];
  return readdirSync(path).flatMap((name) => fileTimes(join(path, name)));
}

const built = new Set();
function build(dir) {
  if (built.has(dir)) return;
  built.add(dir);
  const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  for (const dep of Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies })) {
    const depDir = byName.get(dep);
    if (depDir) build(depDir);
  }
  if (!manifest.scripts?.build) return;
  const sources = ["src", "package.json", "tsup.config.ts"].flatMap((name) => fileTimes(join(dir, name)));
  const outputs = fileTimes(join(dir, "dist"));
  if (outputs.length > 0 && Math.min(...outputs) > Math.max(...sources)) return;
  const r = spawnSync("npm", ["run", "build"], { cwd: dir, stdio: ["ignore", "ignore", "inherit"] });
  if (r.status !== 0) {
    console.error(`prepack: building ${manifest.name} failed`);
    process.exit(r.status ?? 1);
  }
}

build(process.cwd());

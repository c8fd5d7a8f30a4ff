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

/** Newest modification time under `path` (a file or a folder), 0 when it is missing. */
function newest(path) {
  if (!existsSync(path)) return 0;
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  return Math.max(info.mtimeMs, ...readdirSync(path).map((name) => newest(join(path, name))));
}

function oldest(path) {
  if (!existsSync(path)) return 0;
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  const times = readdirSync(path).map((name) => oldest(join(path, name)));
  return times.length ? Math.min(...times) : 0;
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
  const sources = Math.max(
    newest(join(dir, "src")),
    newest(join(dir, "package.json")),
    newest(join(dir, "tsup.config.ts")),
  );
  if (!manifest.scripts?.build || oldest(join(dir, "dist")) > sources) return;
  const tsup = join(root, "node_modules", ".bin", "tsup");
  const r = spawnSync(
    existsSync(join(dir, "tsup.config.ts")) ? tsup : "npm",
    existsSync(join(dir, "tsup.config.ts")) ? [] : ["run", "build"],
    {
      cwd: dir,
      stdio: ["ignore", "ignore", "inherit"],
    },
  );
  if (r.status !== 0) {
    console.error(`prepack: building ${manifest.name} failed`);
    process.exit(r.status ?? 1);
  }
}

build(process.cwd());

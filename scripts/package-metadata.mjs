#!/usr/bin/env node
// Keeps every publishable package's registry-facing metadata in one shape: licence file,
// repository/homepage/bugs/keywords, `typesVersions` for TypeScript's node10 resolution,
// engines, a build before packing, and README links that work on the registry's page.
//
//   node scripts/package-metadata.mjs --check   fails listing every problem (run by npm test)
//   node scripts/package-metadata.mjs --write   fixes them in place
import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, posix, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const REPO = "https://github.com/sessionvault/sessionvault";
const BLOB = `${REPO}/blob/main`;

/** The Node lines the packages are tested on (see scripts/sv.mjs); the vault needs node:sqlite. */
export const ENGINES = { default: ">=22", "@sessionvault/server": ">=22.13" };

const KEYWORDS = ["sessions", "session-store", "privacy", "pii", "encryption", "databunker", "sessionvault"];
const FRAMEWORK_KEYWORDS = {
  "@sessionvault/express": ["express", "express-session"],
  "@sessionvault/koa": ["koa", "koa-session"],
  "@sessionvault/fastify": ["fastify", "@fastify/session"],
  "@sessionvault/next": ["nextjs", "next", "app-router"],
  "@sessionvault/authjs": ["authjs", "next-auth", "adapter"],
  "@sessionvault/better-auth": ["better-auth", "adapter"],
  "@sessionvault/server": ["vault", "aes-gcm", "sqlite", "postgresql", "redis"],
  "@sessionvault/tokenize": ["tokenization", "pii-detection"],
  "@sessionvault/client": ["openapi", "client"],
  "@sessionvault/session": ["session-engine"],
};

/** Every workspace package that is published: not private, under packages/. */
export function publicPackages() {
  const dir = join(root, "packages");
  return readdirSync(dir)
    .map((name) => join(dir, name))
    .filter((pkgDir) => existsSync(join(pkgDir, "package.json")))
    .map((pkgDir) => ({ dir: pkgDir, manifest: JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8")) }))
    .filter(({ manifest }) => !manifest.private);
}

/** Subpath exports other than `.` and `./package.json`, mapped to their ESM type file. */
function typedSubpaths(manifest) {
  const out = {};
  for (const [key, target] of Object.entries(manifest.exports ?? {})) {
    if (key === "." || key === "./package.json") continue;
    const types = target?.import?.types ?? target?.types;
    if (types) out[key.slice(2)] = [types];
  }
  return out;
}

/** Relative Markdown links rewritten to absolute ones on the repository's main branch. */
function absoluteLinks(markdown, pkgDir) {
  return markdown.replace(/\]\((?!https?:|mailto:|#)([^)\s]+)\)/g, (_all, target) => {
    const [path, hash = ""] = target.split("#");
    const fromRoot = posix.normalize(posix.join(relative(root, pkgDir).split("\\").join("/"), path));
    return `](${BLOB}/${fromRoot}${hash ? `#${hash}` : ""})`;
  });
}

function expected(pkg) {
  const { manifest, dir } = pkg;
  const directory = relative(root, dir).split("\\").join("/");
  const subpaths = typedSubpaths(manifest);
  return {
    license: "Apache-2.0",
    repository: { type: "git", url: `git+${REPO}.git`, directory },
    homepage: `${REPO}/tree/main/${directory}#readme`,
    bugs: { url: `${REPO}/issues` },
    keywords: [...new Set([...KEYWORDS, ...(FRAMEWORK_KEYWORDS[manifest.name] ?? [])])],
    engines: { ...manifest.engines, node: ENGINES[manifest.name] ?? ENGINES.default },
    ...(Object.keys(subpaths).length ? { typesVersions: { "*": subpaths } } : {}),
    files: [...new Set([...(manifest.files ?? ["dist"]), "README.md", "LICENSE"])],
    scripts: { ...manifest.scripts, prepack: "node ../../scripts/prepack.mjs" },
  };
}

const mode = process.argv[2];
if (mode !== "--check" && mode !== "--write") {
  console.error("usage: node scripts/package-metadata.mjs --check|--write");
  process.exit(2);
}
const licence = readFileSync(join(root, "LICENSE"), "utf8");
const problems = [];
for (const pkg of publicPackages()) {
  const want = expected(pkg);
  const manifestPath = join(pkg.dir, "package.json");
  const readmePath = join(pkg.dir, "README.md");
  const licencePath = join(pkg.dir, "LICENSE");
  const name = pkg.manifest.name;
  for (const [key, value] of Object.entries(want)) {
    if (JSON.stringify(pkg.manifest[key]) !== JSON.stringify(value)) problems.push(`${name}: package.json "${key}"`);
  }
  if (!existsSync(licencePath) || readFileSync(licencePath, "utf8") !== licence) problems.push(`${name}: LICENSE`);
  const readme = existsSync(readmePath) ? readFileSync(readmePath, "utf8") : "";
  if (!readme) problems.push(`${name}: README.md missing`);
  else if (absoluteLinks(readme, pkg.dir) !== readme) problems.push(`${name}: README.md has relative links`);
  if (mode === "--write") {
    writeFileSync(manifestPath, `${JSON.stringify({ ...pkg.manifest, ...want }, null, 2)}\n`);
    copyFileSync(join(root, "LICENSE"), licencePath);
    if (readme) writeFileSync(readmePath, absoluteLinks(readme, pkg.dir));
  }
}
if (mode === "--check" && problems.length) {
  console.error(
    `Package metadata is out of shape (fix with \`node scripts/package-metadata.mjs --write\`):\n  ${problems.join("\n  ")}`,
  );
  process.exit(1);
}
if (mode === "--write") console.log(`package metadata: ${problems.length} fixes written`);
else console.log(`package metadata: ${publicPackages().length} packages in shape`);

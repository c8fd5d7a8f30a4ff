import { readdirSync, readFileSync } from "node:fs";
import { builtinModules, createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// Edge runtimes (Next.js middleware, Cloudflare Workers, Deno Deploy) have fetch,
// AbortController and timers, but no Node built-ins and no Node globals.
const packageDir = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const NODE_BUILTINS = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));
const NODE_GLOBALS = ["process", "Buffer", "require", "__dirname", "__filename", "global", "setImmediate"];

// `@sessionvault/client/node` is the one Node-only entry; nothing else may reach it.
const NODE_ONLY_DIR = join(packageDir, "src", "node");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".ts") && !entry.parentPath.startsWith(NODE_ONLY_DIR))
    .map((entry) => join(entry.parentPath, entry.name));
}

function specifiers(code: string): string[] {
  const found: string[] = [];
  const patterns = [
    /\bfrom\s*["']([^"']+)["']/g,
    /\bimport\s*\(\s*["']([^"']+)["']/g,
    /\brequire\s*\(\s*["']([^"']+)["']/g,
    /^\s*import\s*["']([^"']+)["']/gm,
  ];
  for (const pattern of patterns) for (const match of code.matchAll(pattern)) found.push(match[1] as string);
  return found;
}

/** Bare specifiers a built entry reaches, following its own relative chunks. */
function bundleImports(entry: string, seen = new Set<string>()): string[] {
  if (seen.has(entry)) return [];
  seen.add(entry);
  const found = new Set<string>();
  for (const s of specifiers(withoutComments(readFileSync(join(packageDir, "dist", entry), "utf8")))) {
    if (s.startsWith("./")) for (const inner of bundleImports(s.slice(2), seen)) found.add(inner);
    else found.add(s);
  }
  return [...found].sort();
}

const TOKENS = /("(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'|`(?:\\.|[^`\\])*`)|\/\*[\s\S]*?\*\/|\/\/[^\n]*/g;

/** Code without comments (JSDoc examples import the package by name); strings kept. */
function withoutComments(code: string): string {
  return code.replace(TOKENS, (_match, string: string | undefined) => string ?? "");
}

/** Code without comments and string contents, so only real identifiers remain. */
function codeOnly(code: string): string {
  return code.replace(TOKENS, (_match, string: string | undefined) => (string === undefined ? "" : '""'));
}

describe("the client runs where only web APIs exist", () => {
  const files = sourceFiles(join(packageDir, "src"));

  it("finds the sources it checks", () => {
    expect(files.map((f) => f.slice(packageDir.length + 1)).sort()).toEqual(
      expect.arrayContaining(["src/client.ts", "src/errors.ts", "src/index.ts", "src/retry.ts", "src/transport.ts"]),
    );
    expect(files.some((f) => f.startsWith(NODE_ONLY_DIR))).toBe(false);
  });

  it.each(files.map((f) => [f.slice(packageDir.length + 1), f]))(
    "%s never imports the Node-only entry",
    (_name, file) => {
      const imports = specifiers(withoutComments(readFileSync(file, "utf8")));
      expect(imports.filter((s) => /(^|\/)node(\/|\.js$|$)/.test(s))).toEqual([]);
    },
  );

  it.each(files.map((f) => [f.slice(packageDir.length + 1), f]))("%s imports no Node built-in", (_name, file) => {
    const imports = specifiers(withoutComments(readFileSync(file, "utf8")));
    expect(imports.filter((s) => NODE_BUILTINS.has(s) || s.startsWith("node:"))).toEqual([]);
    expect(imports.filter((s) => !s.startsWith(".") && s !== "openapi-fetch")).toEqual([]);
  });

  it.each(files.map((f) => [f.slice(packageDir.length + 1), f]))("%s uses no Node-only global", (_name, file) => {
    const code = codeOnly(readFileSync(file, "utf8"));
    const used = NODE_GLOBALS.filter((name) => new RegExp(`(?<![.\\w$])${name}\\b(?!\\s*:)`).test(code));
    expect(used).toEqual([]);
  });

  it.each(["index.js"])("ships %s whose only import outside its chunks is openapi-fetch", (entry) => {
    expect(bundleImports(entry)).toEqual(["openapi-fetch"]);
  });

  it("ships openapi-fetch, which imports nothing", () => {
    const require = createRequire(join(packageDir, "package.json"));
    const openapiFetch = readFileSync(require.resolve("openapi-fetch").replace(/\.cjs$/, ".mjs"), "utf8");
    expect(specifiers(withoutComments(openapiFetch))).toEqual([]);
  });

  it("detects a Node import when there is one", () => {
    const source = '// import x from "nothing";\nimport { readFile } from "node:fs";\nimport http from "http";';
    expect(specifiers(withoutComments(source))).toEqual(["node:fs", "http"]);
    expect(
      NODE_GLOBALS.filter((name) =>
        new RegExp(`(?<![.\\w$])${name}\\b(?!\\s*:)`).test(codeOnly("const a = Buffer.from('x');")),
      ),
    ).toEqual(["Buffer"]);
  });
});

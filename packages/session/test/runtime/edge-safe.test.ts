import { readdirSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// Edge runtimes (Next.js middleware, Cloudflare Workers, Deno Deploy) have web APIs only:
// the engine may import the client's edge-safe root and the detector, nothing from Node.
const packageDir = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const NODE_BUILTINS = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));
const NODE_GLOBALS = ["process", "Buffer", "require", "__dirname", "__filename", "global", "setImmediate"];
const ALLOWED = new Set(["@sessionvault/client", "@sessionvault/tokenize/detect"]);
const TOKENS = /("(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'|`(?:\\.|[^`\\])*`)|\/\*[\s\S]*?\*\/|\/\/[^\n]*/g;

function specifiers(code: string): string[] {
  const found: string[] = [];
  const patterns = [
    /\bfrom\s*["']([^"']+)["']/g,
    /\bimport\s*\(\s*["']([^"']+)["']/g,
    /\brequire\s*\(\s*["']([^"']+)["']/g,
  ];
  for (const pattern of patterns) for (const match of code.matchAll(pattern)) found.push(match[1] as string);
  return found;
}
const withoutComments = (code: string) => code.replace(TOKENS, (_m, string: string | undefined) => string ?? "");
const codeOnly = (code: string) =>
  code.replace(TOKENS, (_m, string: string | undefined) => (string === undefined ? "" : '""'));
const globalsIn = (code: string) =>
  NODE_GLOBALS.filter((name) => new RegExp(`(?<![.\\w$])${name}\\b(?!\\s*:)`).test(code));

const files = readdirSync(join(packageDir, "src"), { withFileTypes: true, recursive: true })
  .filter((entry) => entry.isFile() && entry.name.endsWith(".ts"))
  .map((entry) => join(entry.parentPath, entry.name));

describe("the session engine runs where only web APIs exist", () => {
  it("finds the sources it checks", () => {
    expect(files.map((f) => f.slice(packageDir.length + 1))).toEqual(
      expect.arrayContaining(["src/index.ts", "src/session-store.ts", "src/errors.ts", "src/session-id.ts"]),
    );
  });

  it.each(files.map((f) => [f.slice(packageDir.length + 1), f]))("%s imports only edge-safe modules", (_n, file) => {
    const imports = specifiers(withoutComments(readFileSync(file, "utf8")));
    expect(imports.filter((s) => NODE_BUILTINS.has(s) || s.startsWith("node:"))).toEqual([]);
    expect(imports.filter((s) => !s.startsWith(".") && !ALLOWED.has(s))).toEqual([]);
  });

  it.each(files.map((f) => [f.slice(packageDir.length + 1), f]))("%s uses no Node-only global", (_n, file) => {
    expect(globalsIn(codeOnly(readFileSync(file, "utf8")))).toEqual([]);
  });

  it("ships a build whose only imports are the client and the detector", () => {
    const built = specifiers(withoutComments(readFileSync(join(packageDir, "dist", "index.js"), "utf8")));
    expect([...new Set(built)].sort()).toEqual([...ALLOWED].sort());
  });

  it("detects a Node import and a Node global when there is one", () => {
    expect(specifiers(withoutComments('// from "x";\nimport { readFile } from "node:fs";'))).toEqual(["node:fs"]);
    expect(globalsIn(codeOnly("const a = Buffer.from('x');"))).toEqual(["Buffer"]);
  });
});

import { existsSync, readFileSync } from "node:fs";
import { isBuiltin } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const packageRoot = join(dirname(fileURLToPath(import.meta.url)), "../..");
const SPECIFIER = /(?:\bimport|\bexport)\s*(?:[^'"]*?\bfrom\s*)?["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']\s*\)/g;

function packageEntry(specifier: string, fromFile: string): string {
  const parts = specifier.split("/");
  const name = specifier.startsWith("@") ? parts.slice(0, 2).join("/") : (parts[0] as string);
  const subpath = `.${specifier.slice(name.length)}`;
  for (let dir = dirname(fromFile); ; dir = dirname(dir)) {
    const candidate = join(dir, "node_modules", name);
    if (existsSync(join(candidate, "package.json"))) {
      const manifest = JSON.parse(readFileSync(join(candidate, "package.json"), "utf8"));
      let target: unknown = manifest.exports?.[subpath] ?? (subpath === "." ? manifest.exports : undefined);
      // Follow the conditions a bundler for the edge runtime would pick.
      while (target && typeof target === "object") {
        const conditions = target as Record<string, unknown>;
        target =
          conditions["edge-light"] ??
          conditions.worker ??
          conditions.browser ??
          conditions.import ??
          conditions.default;
      }
      const file = typeof target === "string" ? target : subpath === "." ? (manifest.module ?? manifest.main) : subpath;
      return resolve(candidate, file);
    }
    if (dirname(dir) === dir) throw new Error(`cannot resolve ${specifier} from ${fromFile}`);
  }
}

/** Every module the entry reaches, with the specifiers each one imports. */
function importGraph(entry: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const pending = [entry];
  while (pending.length > 0) {
    const file = pending.pop() as string;
    if (graph.has(file)) continue;
    const source = readFileSync(file, "utf8");
    const specifiers = [...source.matchAll(SPECIFIER)].map((m) => (m[1] ?? m[2]) as string);
    graph.set(file, specifiers);
    for (const specifier of specifiers) {
      if (specifier.startsWith("node:") || isBuiltin(specifier)) continue;
      pending.push(specifier.startsWith(".") ? resolve(dirname(file), specifier) : packageEntry(specifier, file));
    }
  }
  return graph;
}

describe("the ./middleware entry", () => {
  it("reaches no Node.js built-in and no Next.js runtime module, through any dependency", () => {
    const graph = importGraph(join(packageRoot, "dist/middleware.js"));
    // The client and its transport are part of the graph: the check follows dependencies.
    expect([...graph.keys()].some((file) => file.includes("openapi-fetch"))).toBe(true);
    const offending = [...graph].flatMap(([file, specifiers]) =>
      specifiers
        .filter((s) => s.startsWith("node:") || isBuiltin(s) || s === "next" || s.startsWith("next/"))
        .map((s) => `${file} -> ${s}`),
    );
    expect(offending).toEqual([]);
  });

  it("the main entry does use next/headers (so the check above can tell them apart)", () => {
    const graph = importGraph(join(packageRoot, "dist/index.js"));
    expect([...graph.values()].flat()).toContain("next/headers.js");
  });
});

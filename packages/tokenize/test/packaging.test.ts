import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const dist = join(dirname(fileURLToPath(import.meta.url)), "../dist");

/** Every module specifier the built file and the chunks it pulls in import. */
function importGraph(entry: string): string[] {
  const seen = new Set<string>();
  const external: string[] = [];
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const code = readFileSync(join(dist, file), "utf8");
    for (const [, spec = ""] of code.matchAll(/(?:from|import|require\()\s*["']([^"']+)["']/g)) {
      if (spec.startsWith("./")) visit(spec.slice(2));
      else external.push(spec);
    }
  };
  visit(entry);
  return external;
}

describe("the /detect entry", () => {
  it.each(["detect.js", "detect.cjs"])("%s imports nothing: no Node built-ins, no client, no network", (entry) => {
    expect(importGraph(entry)).toEqual([]);
  });

  it("the root entry adds only the client on top", () => {
    expect(new Set(importGraph("index.js"))).toEqual(new Set(["@sessionvault/client"]));
  });

  it("exports the same detector from both entries", async () => {
    const root = await import("@sessionvault/tokenize");
    const detect = await import("@sessionvault/tokenize/detect");
    expect(detect.findPII).toBe(root.findPII);
    expect(detect.PIIError).toBe(root.PIIError);
  });
});

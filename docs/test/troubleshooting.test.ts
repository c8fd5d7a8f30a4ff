import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { docsRoot } from "./markdown.js";

const SOURCES = ["server/src", "client/src", "next/src", "express/src", "koa/src", "fastify/src", "tokenize/src"];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.ts$/.test(name) && !/\.test\.ts$/.test(name) ? [path] : [];
  });
}

/** Every string and template literal of the packages' sources, templates as patterns (`${x}` = anything). */
function messagePatterns(): RegExp[] {
  const patterns: RegExp[] = [];
  for (const dir of SOURCES) {
    for (const file of sourceFiles(join(docsRoot, "../packages", dir))) {
      const text = readFileSync(file, "utf8");
      for (const [, literal = ""] of text.matchAll(/"((?:[^"\\\n]|\\.){6,})"/g)) {
        patterns.push(new RegExp(`^${literal.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`));
      }
      for (const [, literal = ""] of text.matchAll(/`((?:[^`\\]|\\.){6,})`/g)) {
        const parts = literal.split(/\$\{[^}]*\}/).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
        patterns.push(new RegExp(`^${parts.join(".+")}$`));
      }
    }
  }
  return patterns;
}

describe("troubleshooting.md", () => {
  const page = readFileSync(join(docsRoot, "troubleshooting.md"), "utf8");
  const quoted = [...page.matchAll(/^\| `([^`]+)` +\|/gm)].map((m) => m[1] as string).filter((m) => m !== "message");

  it("quotes the vault's and the client's messages", () => {
    expect(quoted.length).toBeGreaterThanOrEqual(10);
  });

  it("quotes only messages that exist in the packages' sources", () => {
    const patterns = messagePatterns();
    expect(patterns.length).toBeGreaterThan(100);
    const missing = quoted.filter((message) => !patterns.some((pattern) => pattern.test(message)));
    expect(missing).toEqual([]);
  });

  it("names only error classes the client exports", async () => {
    const client = (await import("@sessionvault/client")) as Record<string, unknown>;
    const named = [...new Set([...page.matchAll(/`(Vault\w+Error)`/g)].map((m) => m[1] as string))];
    expect(named.length).toBeGreaterThanOrEqual(6);
    for (const name of named) expect(typeof client[name], name).toBe("function");
  });
});

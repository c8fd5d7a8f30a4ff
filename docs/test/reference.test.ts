import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { createVaultClient } from "@sessionvault/client";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { referencePath, writeReference } from "../scripts/api-reference.mjs";
import { docsRoot, pages } from "./markdown.js";

const contract = readFileSync(join(docsRoot, "../openapi/sessionvault.yaml"), "utf8");
const api = readFileSync(join(docsRoot, "reference/sdk.md"), "utf8");

describe("reference/api.md, generated from the contract", () => {
  it("has a section for every operation, with its path and summary", () => {
    writeReference();
    const generated = readFileSync(referencePath, "utf8");
    const spec = parse(contract) as {
      paths: Record<string, Record<string, { operationId?: string; summary?: string }>>;
    };
    let count = 0;
    for (const [path, item] of Object.entries(spec.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        if (!operation.operationId) continue;
        count++;
        expect(generated).toMatch(new RegExp(`^### ${operation.operationId}\\b`, "m"));
        expect(generated).toContain(`\`${method.toUpperCase()} ${path}\``);
        if (operation.summary) expect(generated).toContain(operation.summary.trim().split("\n")[0]);
      }
    }
    expect(count).toBeGreaterThan(15);
  });
});

describe("reference/sdk.md", () => {
  it("names every operation and path of the contract", () => {
    const operations = [...contract.matchAll(/operationId:\s*(\w+)/g)].map((m) => m[1] as string);
    expect(operations.length).toBeGreaterThan(15);
    for (const operation of operations) expect(api, operation).toContain(`\`${operation}\``);
    const paths = [...contract.matchAll(/^ {2}(\/[^:]+):$/gm)].map((m) => m[1] as string);
    for (const path of paths.filter((p) => !p.startsWith("/v2/"))) expect(api, path).toContain(path);
  });

  it("names only client methods that exist", () => {
    const client = createVaultClient({ baseUrl: "http://127.0.0.1:9", token: "unused" }) as unknown as Record<
      string,
      unknown
    >;
    const named = [...api.matchAll(/^\| `\w+`[^|]*\| `(\w+)\(/gm)].map((m) => m[1] as string);
    expect(named.length).toBeGreaterThan(12);
    for (const method of named) expect(typeof client[method], method).toBe("function");
  });
});

const entryPoints = api.slice(api.indexOf("## Package entry points"));

describe("reference/sdk.md entry points", () => {
  it("lists every public entry point of every package", () => {
    const packagesDir = join(docsRoot, "../packages");
    for (const name of readdirSync(packagesDir)) {
      const manifestPath = join(packagesDir, name, "package.json");
      if (!existsSync(manifestPath)) continue;
      const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as {
        name: string;
        private?: boolean;
        exports?: Record<string, unknown>;
      };
      if (manifest.private) continue;
      for (const subpath of Object.keys(manifest.exports ?? {})) {
        if (subpath === "./package.json") continue;
        const entry = subpath === "." ? manifest.name : `${manifest.name}/${subpath.slice(2)}`;
        expect(entryPoints, entry).toContain(`| \`${entry}\``);
      }
    }
  });
});

describe("tables", () => {
  for (const page of pages()) {
    it(`every table of ${page} has a header, a separator and rows of the same width`, () => {
      const text = readFileSync(join(docsRoot, page), "utf8").replace(/^```[\s\S]*?^```/gm, "");
      const cells = (row: string) => row.replace(/\\\|/g, "").split("|").length;
      const tables = text
        .split(/\n(?!\|)/)
        .map((block) => block.trim())
        .filter((block) => block.startsWith("|"));
      expect(tables.length === 0 || tables.every((t) => t.includes("\n"))).toBe(true);
      for (const table of tables) {
        const rows = table.split("\n");
        expect(rows[1], `${page}: ${rows[0]}`).toMatch(/^\|( *:?-+:? *\|)+$/);
        for (const row of rows) expect(cells(row), `${page}: ${row}`).toBe(cells(rows[0] ?? ""));
        expect(
          rows.slice(2).some((row) => /^\|( *:?-+:? *\|)+$/.test(row)),
          `${page}: ${rows[0]}`,
        ).toBe(false);
      }
    });
  }
});

describe("links", () => {
  const slug = (heading: string) =>
    heading
      .toLowerCase()
      .replace(/[`*_]/g, "")
      .replace(/[^\p{L}\p{N} -]/gu, "")
      .trim()
      .replace(/ /g, "-");

  for (const page of pages()) {
    it(`every relative link of ${page} resolves, anchors included`, () => {
      const text = readFileSync(join(docsRoot, page), "utf8").replace(/^```[\s\S]*?^```/gm, "");
      for (const [, target = ""] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/.test(target)) continue;
        const [file = "", anchor] = target.split("#");
        const path = file === "" ? join(docsRoot, page) : join(dirname(join(docsRoot, page)), file);
        expect(existsSync(path), `${page} -> ${target}`).toBe(true);
        if (anchor && path.endsWith(".md")) {
          const headings = [...readFileSync(path, "utf8").matchAll(/^#+ (.+)$/gm)].map((m) => slug(m[1] ?? ""));
          expect(headings, `${page} -> ${target}`).toContain(anchor);
        }
      }
    });
  }
});

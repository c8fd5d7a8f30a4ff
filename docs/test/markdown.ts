import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

export const docsRoot = join(dirname(fileURLToPath(import.meta.url)), "..");

const RUNNABLE = new Set(["ts", "js", "tsx", "typescript", "javascript", "mjs", "mts"]);

/** One fenced code block of a markdown page. */
export interface Sample {
  /** Page path relative to docs/, e.g. `quickstart/express.md`. */
  page: string;
  /** 1-based line of the opening fence. */
  line: number;
  lang: string;
  /** Flags after the language: `no-run`, `server`, ... */
  flags: Set<string>;
  /** `key=value` attributes after the language, e.g. `file=app/page.tsx`. */
  attrs: Map<string, string>;
  code: string;
}

/** Every markdown page under docs/, except node_modules and generated sample folders. */
export function pages(dir = docsRoot): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name === "node_modules" || name.startsWith(".")) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...pages(path));
    else if (name.endsWith(".md")) found.push(relative(docsRoot, path));
  }
  return found.sort();
}

/** The TypeScript / JavaScript blocks of a page (other languages are prose: sh, json, ...). */
export function samplesOf(page: string): Sample[] {
  const text = readFileSync(join(docsRoot, page), "utf8");
  const lines = text.split("\n");
  const samples: Sample[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(`{3,})(\S*)\s*(.*)$/.exec(lines[i] ?? "");
    if (!open) continue;
    const [, fence = "```", lang = "", info = ""] = open;
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && !(lines[j] ?? "").startsWith(fence)) body.push(lines[j++] ?? "");
    if (RUNNABLE.has(lang)) {
      const flags = new Set<string>();
      const attrs = new Map<string, string>();
      for (const word of info.split(/\s+/).filter(Boolean)) {
        const eq = word.indexOf("=");
        if (eq > 0) attrs.set(word.slice(0, eq), word.slice(eq + 1));
        else flags.add(word);
      }
      samples.push({ page, line: i + 1, lang, flags, attrs, code: `${body.join("\n")}\n` });
    }
    i = j;
  }
  return samples;
}

/** `// => text` comments: output the sample must print, in this order. */
export function expectedOutput(code: string): string[] {
  return [...code.matchAll(/\/\/ => (.+)$/gm)].map((m) => (m[1] ?? "").trim());
}

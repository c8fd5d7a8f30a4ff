// Runs every vector of openapi/conformance/pii-detection.json, the detection cases every
// language's strict mode shares. A vector added to the file is run here with no code change.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { findPII, type PIIKind } from "../../src/detect/index.js";

interface Vectors {
  version: number;
  positives: { value: string; kind: PIIKind; class: string; note?: string }[];
  negatives: { value: string; class: string; note?: string }[];
  structures: { data: unknown; paths: string[]; note?: string }[];
}

const file = fileURLToPath(new URL("../../../../openapi/conformance/pii-detection.json", import.meta.url));
const vectors = JSON.parse(readFileSync(file, "utf8")) as Vectors;
const KINDS: readonly string[] = ["email", "phone", "card"];

/** `user.contacts[1]["e-mail"]` / `seen[<redacted>]` → the shared dot form `user.contacts.1.e-mail` / `seen.<redacted>`. */
export function toSharedPath(path: string): string {
  if (path === "$") return "$";
  const parts: string[] = [];
  const token = /^(?:\.?([A-Za-z_$][A-Za-z0-9_$]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]|\[(<redacted>)\]|\[(\?)\])/;
  let rest = path;
  while (rest !== "") {
    const m = token.exec(rest);
    if (m === null) throw new Error(`unparseable finding path: ${path}`);
    parts.push(m[1] ?? m[2] ?? (m[3] !== undefined ? (JSON.parse(m[3]) as string) : (m[4] ?? m[5] ?? "")));
    rest = rest.slice(m[0].length);
  }
  return parts.join(".");
}

let passed = 0;
let failed = 0;
const record = (check: () => void) => {
  try {
    check();
    passed++;
  } catch (error) {
    failed++;
    throw error;
  }
};

afterAll(() => {
  process.stdout.write(`pii-detection: ${passed} passed, ${failed} failed\n`);
});

describe("pii-detection.json is well formed", () => {
  it("has version 1, known kinds and a class on every vector", () => {
    expect(vectors.version).toBe(1);
    expect(vectors.positives.length).toBeGreaterThan(0);
    expect(vectors.negatives.length).toBeGreaterThan(0);
    expect(vectors.structures.length).toBeGreaterThan(0);
    for (const p of vectors.positives) {
      expect(typeof p.value).toBe("string");
      expect(KINDS).toContain(p.kind);
      expect(typeof p.class).toBe("string");
    }
    for (const n of vectors.negatives) expect(typeof n.value).toBe("string");
    for (const s of vectors.structures) expect(Array.isArray(s.paths)).toBe(true);
  });
});

describe("pii-detection.json positives are flagged with exactly their kind", () => {
  it.each(vectors.positives.map((p) => [p.class, p.note ?? "", p] as const))("%s: %s", (_class, _note, positive) => {
    record(() => expect(findPII(positive.value).map((f) => f.kind)).toEqual([positive.kind]));
  });
});

describe("pii-detection.json negatives are not flagged", () => {
  it.each(vectors.negatives.map((n) => [n.class, n.note ?? "", n] as const))("%s: %s", (_class, _note, negative) => {
    record(() => expect(findPII(negative.value)).toEqual([]));
  });
});

describe("pii-detection.json structures report exactly their paths", () => {
  it.each(vectors.structures.map((s, i) => [i, s.note ?? "", s] as const))("#%i %s", (_i, _note, structure) => {
    record(() => {
      const paths = [...new Set(findPII(structure.data).map((f) => toSharedPath(f.path)))].sort();
      expect(paths).toEqual([...structure.paths].sort());
    });
  });
});

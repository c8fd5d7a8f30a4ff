import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const CORE = join(import.meta.dirname, "..", "..", "src", "core");

describe("core layering", () => {
  it("core/ imports nothing from http/ and raises no HTTP status errors", () => {
    const files = readdirSync(CORE).filter((name) => name.endsWith(".ts"));
    expect(files.length).toBeGreaterThan(10);
    for (const name of files) {
      const text = readFileSync(join(CORE, name), "utf8");
      expect({ name, http: /from "\.\.\/http\//.test(text) || /HttpError/.test(text) }).toEqual({ name, http: false });
    }
  });
});

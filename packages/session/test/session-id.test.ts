import { describe, expect, it } from "vitest";
import { generateSessionId, isSessionId } from "../src/index.js";

describe("the one session id", () => {
  it("is 43 base64url characters (256 bits) that do not repeat and use the whole alphabet", () => {
    const ids = Array.from({ length: 2000 }, generateSessionId);
    for (const id of ids.slice(0, 10)) expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(new Set(ids).size).toBe(ids.length);
    // 64 symbols, 86 000 draws: every symbol shows up unless the generator is broken.
    expect(new Set(ids.join("")).size).toBe(64);
  });

  it("tells ids that can be session ids from values that cannot", () => {
    expect(isSessionId(generateSessionId())).toBe(true);
    for (const value of [undefined, 42, "", "short", "has space in it", "x".repeat(257)]) {
      expect(isSessionId(value)).toBe(false);
    }
  });
});

import { describe, expect, it } from "vitest";
import { isWellFormedSessionId, newSessionId } from "../../src/session-id.js";

describe("session ids", () => {
  it("are 32 base64url characters: 192 bits from the CSPRNG", () => {
    const id = newSessionId();
    expect(id).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(isWellFormedSessionId(id)).toBe(true);
  });

  it("do not repeat and use the whole alphabet", () => {
    const ids = Array.from({ length: 2000 }, newSessionId);
    expect(new Set(ids).size).toBe(ids.length);
    const seen = new Set(ids.join(""));
    // 64 symbols, 64 000 draws: every symbol shows up unless the generator is broken.
    expect(seen.size).toBe(64);
  });

  it("reject values we never issue", () => {
    for (const value of [
      undefined,
      "",
      "short",
      "A".repeat(31),
      "A".repeat(33),
      `${"A".repeat(31)}=`,
      `${"x".repeat(31)}/`,
    ]) {
      expect(isWellFormedSessionId(value)).toBe(false);
    }
  });
});

import { generateSessionId } from "@sessionvault/session";
import { describe, expect, it } from "vitest";
import { isWellFormedSessionId, newSessionId } from "../../src/session-id.js";

describe("session ids", () => {
  it("are the engine's ids: 43 base64url characters, 256 bits, the same as every adapter", () => {
    const id = newSessionId();
    expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(isWellFormedSessionId(id)).toBe(true);
    expect(newSessionId).toBe(generateSessionId);
  });

  it("reject values that cannot be session ids without a vault call", () => {
    for (const value of [undefined, "", "short", "has space in it", "é".repeat(20), "x".repeat(257)]) {
      expect(isWellFormedSessionId(value)).toBe(false);
    }
  });
});

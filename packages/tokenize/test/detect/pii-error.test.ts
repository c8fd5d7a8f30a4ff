import { describe, expect, it } from "vitest";
import { assertNoPII, isPIIError, PIIError } from "../../src/detect/index.js";

describe("assertNoPII", () => {
  it("passes a session that holds only tokens and metadata", () => {
    expect(() =>
      assertNoPII({ usertoken: "7d0c3a2e-1f7b-4c5e-9a61-2b8d1e4f6a90", role: "admin", visits: 3 }),
    ).not.toThrow();
  });

  it("throws a PIIError naming paths and kinds, never the values", () => {
    const data = { user: { email: "ada@example.com", phone: "+44 20 7946 0958" }, card: "4242 4242 4242 4242" };
    let caught: unknown;
    try {
      assertNoPII(data);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(PIIError);
    const error = caught as PIIError;
    expect(error.code).toBe("PII_DETECTED");
    expect(error.findings).toEqual([
      { path: "user.email", kind: "email" },
      { path: "user.phone", kind: "phone" },
      { path: "card", kind: "card" },
    ]);
    expect(error.message).toContain("user.email (email)");
    expect(error.message).toContain("tokenizeProfile");
    const serialized = `${error.message} ${JSON.stringify(error)} ${error.stack}`;
    for (const value of ["ada@example.com", "7946", "4242"]) expect(serialized).not.toContain(value);
    expect(error.toJSON()).toMatchObject({ name: "PIIError", code: "PII_DETECTED" });
  });

  it("refuses a payload too large to scan completely", () => {
    let deep: Record<string, unknown> = { ok: true };
    for (let i = 0; i < 20; i++) deep = { child: deep };
    expect(() => assertNoPII(deep, { maxDepth: 5 })).toThrowError(
      expect.objectContaining({ code: "PII_SCAN_LIMIT" }) as unknown as Error,
    );
  });
});

describe("isPIIError", () => {
  it("recognises errors from another copy of the package by brand, not by class identity", () => {
    const foreign = new PIIError("PII_DETECTED", []);
    Object.setPrototypeOf(foreign, Error.prototype);
    expect(foreign instanceof PIIError).toBe(false);
    expect(isPIIError(foreign)).toBe(true);
    expect(isPIIError(new Error("PII_DETECTED"))).toBe(false);
    expect(isPIIError(null)).toBe(false);
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { looksLikePII, MAX_AUDIT_METADATA_CHARS, scrubAuditMetadata } from "../../src/core/audit-metadata.js";

describe("scrubAuditMetadata", () => {
  it("keeps plain context and drops secrets, PII-looking values and PII-named keys", () => {
    const scrubbed = scrubAuditMetadata({
      requestId: "7c1f9e2a-5b3d-4e8f-9a0b-1c2d3e4f5a6b",
      route: "/checkout",
      attempt: 2,
      retried: false,
      order: "ord_20261122001",
      tags: ["web", "eu-west-1", "call me on 020 7946 0958"],
      client: { name: "shop-frontend", version: "4.2.1", build: { sha: "a1b2c3d" } },
      note: "contact ada@example.com",
      password: "hunter2",
      apiKey: "k-123",
      Authorization: "Bearer abc",
      sessionuuid: "sess-raw-id",
      userEmail: "nothing here",
      card: "x",
      remote: "203.0.113.7",
      via: "2001:db8::1",
      amount: 4111111111111111,
    });
    expect(scrubbed).toEqual({
      requestId: "7c1f9e2a-5b3d-4e8f-9a0b-1c2d3e4f5a6b",
      route: "/checkout",
      attempt: 2,
      retried: false,
      order: "ord_20261122001",
      tags: ["web", "eu-west-1"],
      client: { name: "shop-frontend", version: "4.2.1", build: { sha: "a1b2c3d" } },
      _redacted: 11,
    });
  });

  it("drops what is too deep, too long, too many or not JSON data, and bounds the total size", () => {
    const scrubbed = scrubAuditMetadata({
      deep: { a: { b: { c: 1 } } },
      long: "x".repeat(257),
      control: "line\nbreak\u0000",
      many: Array.from({ length: 20 }, (_, i) => i),
      _redacted: 0,
    });
    expect(scrubbed).toEqual({
      deep: { a: {} },
      many: Array.from({ length: 16 }, (_, i) => i),
      _redacted: 1 + 1 + 1 + 4 + 1,
    });
    const huge = scrubAuditMetadata(
      Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`k${i}`, "v".repeat(200)])),
    );
    expect(JSON.stringify(huge).length).toBeLessThanOrEqual(MAX_AUDIT_METADATA_CHARS);
    expect(huge?._redacted).toBeGreaterThan(400);
  });

  it("keeps nothing when nothing is left, or when the metadata is not an object", () => {
    expect(scrubAuditMetadata(undefined)).toBeUndefined();
    expect(scrubAuditMetadata(["a"])).toBeUndefined();
    expect(scrubAuditMetadata("text")).toBeUndefined();
    expect(scrubAuditMetadata({})).toBeUndefined();
    expect(scrubAuditMetadata({ email: "ada@example.com" })).toEqual({ _redacted: 1 });
  });

  it("a __proto__ key stays an ordinary key", () => {
    const input = JSON.parse('{"__proto__": {"polluted": "yes"}, "ok": 1}') as Record<string, unknown>;
    const scrubbed = scrubAuditMetadata(input)!;
    expect(Object.getPrototypeOf(scrubbed)).toBe(Object.prototype);
    expect(JSON.parse(JSON.stringify(scrubbed))).toEqual({ ["__proto__"]: { polluted: "yes" }, ok: 1 });
  });

  it("whatever comes in, the result is bounded JSON with no email or long free-standing number", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), fc.emailAddress(), (value, email) => {
        const scrubbed = scrubAuditMetadata(
          typeof value === "object" && value !== null && !Array.isArray(value) ? { ...value, x: email } : { x: email },
        );
        const text = JSON.stringify(scrubbed ?? {});
        expect(text.length).toBeLessThanOrEqual(MAX_AUDIT_METADATA_CHARS);
        expect(text).not.toContain(email);
        for (const leaf of text.match(/"(?:[^"\\]|\\.)*"/g) ?? [])
          expect(looksLikePII(JSON.parse(leaf) as string)).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});

describe("looksLikePII", () => {
  it.each([
    ["ada@example.com", true],
    ["+44 20 7946 0958", true],
    ["(415) 555-0132", true],
    ["4111 1111 1111 1111", true],
    ["10.0.0.1", true],
    ["fe80::1", true],
    ["2026-11-22", true],
    ["ord_20261122001", false],
    ["7c1f9e2a-5b3d-4e8f-9a0b-1c2d3e4f5a6b", false],
    ["v1.2.3", false],
    ["12:30:45", false],
    ["user:42:cart", false],
    ["retry 3 of 5", false],
  ])("%s -> %s", (text, expected) => {
    expect(looksLikePII(text)).toBe(expected);
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  AUDIT_METADATA_FIELDS,
  looksLikePII,
  MAX_AUDIT_METADATA_CHARS,
  scrubAuditMetadata,
} from "../../src/core/audit-metadata.js";
import { clientNetwork } from "../../src/core/client-network.js";

describe("scrubAuditMetadata", () => {
  it("keeps only the listed fields, each in its known shape, and counts everything else as redacted", () => {
    const scrubbed = scrubAuditMetadata({
      requestId: "7c1f9e2a-5b3d-4e8f-9a0b-1c2d3e4f5a6b",
      traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
      method: "post",
      route: "/users/:id/sessions",
      status: 201,
      userAgent:
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X; Jane's phone) AppleWebKit/605.1.15 Mobile/15E148",
      ip: "198.51.100.23",
      clientIp: "2001:db8:1:2:3:4:5:6",
      attempt: 2,
      order: "ord_20261122001",
      client: { name: "shop-frontend" },
      note: "contact ada@example.com",
      password: "hunter2",
    });
    expect(scrubbed).toEqual({
      requestId: "7c1f9e2a-5b3d-4e8f-9a0b-1c2d3e4f5a6b",
      traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
      method: "POST",
      route: "/users/:id/sessions",
      status: 201,
      userAgent: "Mozilla/5.0 AppleWebKit/605.1",
      ip: "198.51.100.0/24",
      clientIp: "2001:db8:1:2::/64",
      _redacted: 5,
    });
  });

  it("drops a listed field whose value has another shape", () => {
    expect(
      scrubAuditMetadata({
        requestId: "req 7f3a",
        method: "FETCH",
        route: "/users/4111111111111111",
        status: 42,
        userAgent: "Jane Doe",
        ip: "not an address",
      }),
    ).toEqual({ _redacted: 6 });
    expect(scrubAuditMetadata({ route: "/search?q=ada@example.com" })).toEqual({ _redacted: 1 });
    expect(scrubAuditMetadata({ requestId: "req_41111111111" })).toEqual({ _redacted: 1 });
    expect(
      scrubAuditMetadata({
        userAgent: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120.0.6099.109 Safari/537.36",
      }),
    ).toEqual({ userAgent: "Mozilla/5.0 AppleWebKit/537.36 Chrome/120.0 Safari/537.36" });
    expect(scrubAuditMetadata({ userAgent: "Card/4111.1111.1111.1111" })).toEqual({ userAgent: "Card/4111" });
  });

  it("keeps nothing when nothing is left, or when the metadata is not an object", () => {
    expect(scrubAuditMetadata(undefined)).toBeUndefined();
    expect(scrubAuditMetadata(["a"])).toBeUndefined();
    expect(scrubAuditMetadata("text")).toBeUndefined();
    expect(scrubAuditMetadata({})).toBeUndefined();
    expect(scrubAuditMetadata({ email: "ada@example.com" })).toEqual({ _redacted: 1 });
  });

  it("a __proto__ key is dropped like any unlisted key, and never reaches the prototype", () => {
    const input = JSON.parse('{"__proto__": {"polluted": "yes"}, "requestId": "req_7f3a9c"}') as Record<
      string,
      unknown
    >;
    const scrubbed = scrubAuditMetadata(input)!;
    expect(Object.getPrototypeOf(scrubbed)).toBe(Object.prototype);
    expect(scrubbed).toEqual({ requestId: "req_7f3a9c", _redacted: 1 });
  });

  // The figure for the closing note: PII-shaped probes that come out verbatim.
  const PROBES = [
    "Jane Doe",
    "山田太郎",
    "José Ñúñez-García",
    "محمد عبد الله",
    "221B Baker Street, London NW1 6XE",
    "東京都港区1-2-3",
    "1985-04-12",
    "12/04/1985",
    "born 12.04.1985",
    "４１１１１１１１１１１１１１１１",
    "٤١١١١١١١١١١١١١١١",
    "4111_1111_1111_1111",
    "4111/1111/1111/1111",
    "ada%40example.com",
    "ada@example.com",
    "ada+shop@例え.jp",
    "+44 20 7946 0958",
    "(415) 555-0132",
    "GB82WEST12345698765432",
    "DE89 3704 0044 0532 0130 00",
    "123-45-6789",
    "198.51.100.23",
    "2001:db8::1",
    "Rua Augusta 1, 1100-048 Lisboa",
  ];

  it(`keeps none of ${PROBES.length} PII-shaped probes verbatim, under any field, as a key or inside a value`, () => {
    const fields = [...AUDIT_METADATA_FIELDS, "name", "note", "client", "tags"];
    let tried = 0;
    let keptVerbatim = 0;
    const probesKept = new Set<string>();
    for (const probe of PROBES) {
      const shapes: Record<string, unknown>[] = [
        ...fields.map((field) => ({ [field]: probe })),
        ...fields.map((field) => ({ [field]: [probe] })),
        ...fields.map((field) => ({ [field]: { value: probe } })),
        { [probe]: "x" },
        { route: `/users/${probe}` },
        { requestId: `req_${probe}` },
        { userAgent: `Mozilla/5.0 ${probe}` },
        { userAgent: `Mozilla/5.0 (${probe}) Chrome/120.0` },
      ];
      for (const input of shapes) {
        tried++;
        const text = JSON.stringify(scrubAuditMetadata(input) ?? {});
        if (text.includes(JSON.stringify(probe).slice(1, -1))) {
          keptVerbatim++;
          probesKept.add(probe);
        }
      }
    }
    console.log(
      `audit-metadata probes: kept verbatim = ${probesKept.size} of ${PROBES.length} probes (${keptVerbatim} of ${tried} placements)`,
    );
    expect(PROBES.length).toBeGreaterThanOrEqual(16);
    expect(probesKept.size).toBe(0);
    expect(keptVerbatim).toBe(0);
  });

  it("whatever comes in, only listed fields in their shapes come out, bounded, with no PII probe", () => {
    const listed = new Set([...AUDIT_METADATA_FIELDS, "_redacted"]);
    let inputs = 0;
    let keptProbes = 0;
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.oneof(fc.constantFrom(...AUDIT_METADATA_FIELDS), fc.string({ maxLength: 12 })),
          fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constantFrom(...PROBES), fc.emailAddress()),
          { maxKeys: 20 },
        ),
        fc.constantFrom(...PROBES),
        fc.constantFrom(...AUDIT_METADATA_FIELDS),
        (value, probe, field) => {
          inputs++;
          const scrubbed = scrubAuditMetadata({ ...value, [field]: probe });
          const text = JSON.stringify(scrubbed ?? {});
          expect(text.length).toBeLessThanOrEqual(MAX_AUDIT_METADATA_CHARS);
          for (const key of Object.keys(scrubbed ?? {})) expect(listed.has(key)).toBe(true);
          for (const kept of Object.values(scrubbed ?? {}))
            expect(typeof kept === "string" || typeof kept === "number").toBe(true);
          if (text.includes(JSON.stringify(probe).slice(1, -1))) keptProbes++;
          for (const leaf of text.match(/"(?:[^"\\]|\\.)*"/g) ?? []) {
            const string = JSON.parse(leaf) as string;
            if (!string.endsWith("/24") && !string.endsWith("/64")) expect(looksLikePII(string)).toBe(false);
          }
        },
      ),
      { numRuns: 500 },
    );
    console.log(`audit-metadata random corpus: ${inputs} inputs, probes kept verbatim = ${keptProbes}`);
    expect(keptProbes).toBe(0);
  });

  it("the largest possible kept metadata stays within its bound", () => {
    const biggest = scrubAuditMetadata({
      requestId: `req_${"a".repeat(48)}`,
      request_id: `req_${"b".repeat(48)}`,
      traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
      trace_id: "4bf92f3577b34da6a3ce929d0e0e4736",
      traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
      method: "OPTIONS",
      route: `/${"a".repeat(63)}/${"b".repeat(63)}/${"c".repeat(63)}/${"d".repeat(60)}`,
      path: `/${"a".repeat(63)}/${"b".repeat(63)}/${"c".repeat(63)}/${"d".repeat(60)}`,
      status: 599,
      userAgent: Array.from({ length: 4 }, (_, i) => `${"P".repeat(31)}${i}/1234.12.3456.7890`).join(" "),
      user_agent: Array.from({ length: 4 }, (_, i) => `${"Q".repeat(31)}${i}/1234.12.3456.7890`).join(" "),
      ip: "ffff:ffff:ffff:ffff::1",
      clientIp: "ffff:ffff:ffff:fffe::1",
      client_ip: "ffff:ffff:ffff:fffd::1",
      extra: "x",
    })!;
    expect(Object.keys(biggest)).toHaveLength(AUDIT_METADATA_FIELDS.length + 1);
    expect(JSON.stringify(biggest).length).toBeLessThanOrEqual(MAX_AUDIT_METADATA_CHARS);
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

describe("clientNetwork", () => {
  it.each([
    ["198.51.100.23", "198.51.100.0/24"],
    ["::ffff:10.1.2.3", "10.1.2.0/24"],
    ["2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"],
    ["2001:db8::1", "2001:db8:0:0::/64"],
    ["fe80::1%eth0", "fe80:0:0:0::/64"],
    ["::1", "0:0:0:0::/64"],
    ["64:ff9b::192.0.2.33", "64:ff9b:0:0::/64"],
    ["not an address", null],
    ["999.1.1.1", null],
    ["", null],
  ])("%s -> %s", (address, network) => {
    expect(clientNetwork(address)).toBe(network);
  });
});

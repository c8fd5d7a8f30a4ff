import { describe, expect, it } from "vitest";
import { findPII, isCardNumber, isPhoneNumber, luhnValid, scanPII } from "../../src/detect/index.js";

describe("findPII paths", () => {
  it("names nested object and array positions like a JSON path", () => {
    const data = { user: { contacts: [{ note: "hi" }, { email: "ada@example.com" }] } };
    expect(findPII(data)).toEqual([{ path: "user.contacts[1].email", kind: "email" }]);
  });

  it("quotes keys that are not identifiers and uses $ for a root value", () => {
    expect(findPII({ "first contact": { "e-mail": "ada@example.com" } })).toEqual([
      { path: '["first contact"]["e-mail"]', kind: "email" },
    ]);
    expect(findPII("+44 20 7946 0958")).toEqual([{ path: "$", kind: "phone" }]);
  });

  it("reports a key that is itself PII without putting it in the path", () => {
    const findings = findPII({ seen: { "ada@example.com": true } });
    expect(findings).toEqual([{ path: "seen[<redacted>]", kind: "email" }]);
    expect(JSON.stringify(findings)).not.toContain("ada@");
  });

  it("walks Maps and Sets", () => {
    const data = { m: new Map([["phone", "(415) 555-2671"]]), s: new Set(["x", "4242 4242 4242 4242"]) };
    expect(findPII(data)).toEqual([
      { path: "m.phone", kind: "phone" },
      { path: "s[1]", kind: "card" },
    ]);
  });

  it("reports every path when the same object is reachable twice", () => {
    const contact = { email: "ada@example.com" };
    expect(findPII({ a: contact, b: [contact] })).toEqual([
      { path: "a.email", kind: "email" },
      { path: "b[0].email", kind: "email" },
    ]);
  });
});

describe("findPII bounds", () => {
  it("terminates on cycles and still reports what they hold", () => {
    const node: Record<string, unknown> = { phone: "+33 6 12 34 56 78" };
    node.self = node;
    node.list = [node, { nested: node }];
    expect(findPII(node)).toEqual([{ path: "phone", kind: "phone" }]);
  });

  it("stops at maxDepth and says so", () => {
    let deep: Record<string, unknown> = { email: "ada@example.com" };
    for (let i = 0; i < 100; i++) deep = { child: deep };
    const scan = scanPII(deep, { maxDepth: 10 });
    expect(scan).toEqual({ findings: [], truncated: true });
    expect(scanPII(deep, { maxDepth: 200 }).findings).toHaveLength(1);
  });

  it("stops at maxNodes and says so", () => {
    const wide = Array.from({ length: 1000 }, (_, i) => `item ${i}`);
    wide.push("ada@example.com");
    expect(scanPII(wide, { maxNodes: 100 }).truncated).toBe(true);
    expect(scanPII(wide).findings).toEqual([{ path: "[1000]", kind: "email" }]);
  });

  it.each([
    ["a long run of local-part characters before an @", `${"a".repeat(200_000)}@`],
    ["dotted local-part characters", `${"a.".repeat(100_000)}@x`],
    ["many @ signs", "a@".repeat(100_000)],
    ["a long digit run", "1".repeat(200_000)],
    ["digits separated by spaces", "1 ".repeat(100_000)],
    ["separators without digits", `1${"-".repeat(200_000)}x`],
    ["nested parentheses", "(1".repeat(100_000)],
    ["mixed separators", "0-0.0 0(0)".repeat(20_000)],
    ["a long percent-encoded run", "%41".repeat(70_000)],
    ["percent-encoded digits and spaces", "%31%20".repeat(40_000)],
    ["form fields without values", "&a=+".repeat(50_000)],
    ["full-width digits and spaces", "１\u3000".repeat(100_000)],
    ["zero-width marks between digits", "1\u200b".repeat(100_000)],
    ["underscores and slashes between digits", "1_2/".repeat(50_000)],
  ])("stays linear on hostile text: %s", (_name, text) => {
    const started = performance.now();
    expect(findPII({ text })).toEqual([]);
    // Generous for a shared, busy 2-core machine (typical is well under a second); a
    // quadratic scan takes minutes on these inputs.
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it("scans a large realistic payload quickly", () => {
    const payload = Array.from({ length: 2000 }, (_, i) => ({
      id: `0b5c9e3e-6a7d-4a0b-9d3c-${String(i).padStart(12, "0")}`,
      at: new Date(1_700_000_000_000 + i * 1000).toISOString(),
      text: `Order ${i} shipped in 3 boxes, version 1.${i}.0`,
    }));
    const started = performance.now();
    expect(findPII(payload)).toEqual([]);
    // Generous: a 2-core shared machine; typical is a few milliseconds.
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe("recognisers", () => {
  it.each(["ada@example.com", "first.last+tag@sub.example.co.uk", "o'brien@example.ie", "user@xn--bcher-kva.example"])(
    "finds the email %s",
    (email) => {
      expect(findPII({ v: email }).map((f) => f.kind)).toEqual(["email"]);
    },
  );

  it.each(["user@localhost", "pkg@1.2.3", "@scope/name", "a @ b.com", "git@host"])("ignores %s", (text) => {
    expect(findPII({ v: text })).toEqual([]);
  });

  it.each([
    "+14155552671",
    "+1 (415) 555-2671",
    "+44 20 7946 0958",
    "+44 (0)20 7946 0958",
    "+33 6 12 34 56 78",
    "+49-30-1234567",
    "0044 20 7946 0958",
    "0033 6 12 34 56 78",
    "(415) 555-2671",
    "415-555-2671",
    "415.555.2671",
    "1-800-555-0199",
    "020 7946 0958",
    "07700 900123",
    "06 12 34 56 78",
    "030 12345678",
    "03-1234-5678",
    "(03) 9123 4567",
  ])("accepts the phone %s", (phone) => {
    expect(isPhoneNumber(phone)).toBe(true);
  });

  it.each([
    "2024-01-15",
    "15/01/2024",
    "01.02.2024",
    "192.168.100.200",
    "1.2.3",
    "4155552671",
    "555-123-4567",
    "+1 555",
    "123-45-6789",
    "978-3-16-148410-0",
    "00442079460958",
    "00.00.0000 00",
  ])("rejects the non-phone %s", (text) => {
    expect(isPhoneNumber(text)).toBe(false);
    expect(findPII({ v: text })).toEqual([]);
  });

  it.each([
    "4242424242424242",
    "4242 4242 4242 4242",
    "5555-5555-5555-4444",
    "2223003122003222",
    "378282246310005",
    "3782 822463 10005",
    "6011111111111117",
    "3530111333300000",
    "6200000000000005",
    "4000000000000000006",
  ])("accepts the card %s", (card) => {
    expect(isCardNumber(card)).toBe(true);
  });

  it("rejects Luhn-valid numbers outside issuer ranges, and wrong check digits", () => {
    expect(luhnValid("1234567812345670")).toBe(true);
    expect(isCardNumber("1234567812345670")).toBe(false);
    expect(isCardNumber("4242424242424241")).toBe(false);
    expect(isCardNumber("42 4242424242424242")).toBe(false);
  });

  it("finds a card stored as a number or a bigint", () => {
    expect(findPII({ n: 4242424242424242, b: 4000000000000000006n })).toEqual([
      { path: "n", kind: "card" },
      { path: "b", kind: "card" },
    ]);
  });

  it("ignores clocks and ids next to numbers in a log-like line", () => {
    expect(findPII({ line: "2024-01-15 18:44:58 101660098689 0.0.0 ok" })).toEqual([]);
  });
});

describe("regressions from the measured detector", () => {
  it.each(["git@github.com:org/repo.git", "ssh://git@github.com/org/repo.git", "git@host.example.com:2222/x.git"])(
    "does not flag the git remote %s as an email",
    (remote) => {
      expect(findPII({ remote, line: `git clone ${remote}` })).toEqual([]);
    },
  );

  it("still flags an email that ends a sentence with a colon", () => {
    expect(findPII({ note: "write to ada@example.org: she knows" })).toEqual([{ path: "note", kind: "email" }]);
  });

  it("reads a Luhn-valid 16-digit number under an id key, or after an id label, as an id", () => {
    const id = "4029384756102932";
    expect(findPII({ orderId: id, orderIds: [id, Number(id)], order: { number: id }, note: `Order ${id}` })).toEqual(
      [],
    );
    expect(findPII({ card: id, value: id, note: `paid with ${id}` })).toEqual([
      { path: "card", kind: "card" },
      { path: "value", kind: "card" },
      { path: "note", kind: "card" },
    ]);
  });

  it("flags a grouped card under any key, an id key included", () => {
    expect(findPII({ orderId: "4242 4242 4242 4242" })).toEqual([{ path: "orderId", kind: "card" }]);
  });

  it("does not read the 0031 inside a grouped card as a phone number", () => {
    expect(findPII({ v: "2223 0031 2200 3222" })).toEqual([{ path: "v", kind: "card" }]);
  });

  it.each([
    ["full-width digits", "＋４４ ２０ ７９４６ ０９５８", "phone"],
    ["Arabic-Indic digits", "٤٢٤٢ ٤٢٤٢ ٤٢٤٢ ٤٢٤٢", "card"],
    ["a percent-encoded email", "ada%40example.org", "email"],
    ["a form-encoded phone", "phone=%2B44+20+7946+0958", "phone"],
    ["a card with underscores", "4242_4242_4242_4242", "card"],
  ])("finds PII written with %s", (_name, value, kind) => {
    expect(findPII({ v: value })).toEqual([{ path: "v", kind }]);
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { findPII, type PIIKind } from "../../src/detect/index.js";
import {
  cardNumber,
  e164Phone,
  inText,
  nanpPhone,
  nested,
  phone,
  trunkPhone,
  words,
  wordsWithoutIdLabel,
} from "./arbitraries.js";

const runs = { numRuns: 400 };

function expectFound(data: unknown, path: string, kind: PIIKind) {
  expect(findPII(data)).toContainEqual({ path, kind });
}

describe("findPII has no false negatives", () => {
  const cases: [PIIKind, string, fc.Arbitrary<string>][] = [
    ["email", "generated emails", fc.emailAddress()],
    ["phone", "E.164 phones", e164Phone],
    ["phone", "North American phones", nanpPhone],
    ["phone", "trunk-prefixed national phones", trunkPhone],
    ["card", "Luhn-valid card numbers", cardNumber],
  ];

  for (const [kind, name, value] of cases) {
    it(`finds ${name} as whole values in nested data`, () => {
      fc.assert(
        fc.property(nested(value), ({ data, path }) => expectFound(data, path, kind)),
        runs,
      );
    });

    it(`finds ${name} inside free text in nested data`, () => {
      const text = kind === "card" ? inText(value, wordsWithoutIdLabel) : inText(value);
      fc.assert(
        fc.property(nested(text), ({ data, path }) => expectFound(data, path, kind)),
        runs,
      );
    });
  }

  it("finds card numbers stored as JS numbers", () => {
    const bareCard = cardNumber.filter((c) => /^\d+$/.test(c) && Number.isSafeInteger(Number(c)));
    fc.assert(
      fc.property(nested(bareCard.map(Number)), ({ data, path }) => expectFound(data, path, "card")),
      runs,
    );
  });

  it("reports every kind when one text holds several", () => {
    fc.assert(
      fc.property(fc.emailAddress(), phone, cardNumber, words, (email, tel, card, filler) => {
        const text = `${filler} mail ${email} tel ${tel} card ${card} ${filler}`;
        const kinds = findPII({ note: text }).map((f) => f.kind);
        expect(kinds.sort()).toEqual(["card", "email", "phone"]);
      }),
      runs,
    );
  });
});

const uuid = fc.uuid();
const base64urlToken = fc
  .uint8Array({ minLength: 16, maxLength: 64 })
  .map((bytes) => Buffer.from(bytes).toString("base64url"));
const hexToken = fc.uint8Array({ minLength: 16, maxLength: 64 }).map((bytes) => Buffer.from(bytes).toString("hex"));
const date = fc.date({
  min: new Date("1970-01-01T00:00:00Z"),
  max: new Date("2100-12-31T23:59:59Z"),
  noInvalidDate: true,
});
const pad = (n: number) => String(n).padStart(2, "0");
const isoDate = fc.oneof(
  date.map((d) => d.toISOString()),
  date.map((d) => d.toISOString().slice(0, 10)),
  date.map((d) => d.toISOString().replace("T", " ").slice(0, 19)),
  date.map((d) => d.toUTCString()),
  date.map((d) => `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}`),
  date.map(
    (d) =>
      `${pad(d.getUTCDate())}.${pad(d.getUTCMonth() + 1)}.${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`,
  ),
  date.map((d) => `${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}-${d.getUTCFullYear()}`),
);
// Seconds and milliseconds over 1970–2100; micro- and nanoseconds where they are 16 and
// 19 digits long (2001–2033), the lengths that overlap with card numbers.
const timestamp = fc.oneof(
  date.map((d) => Math.floor(d.getTime() / 1000)),
  date.map((d) => d.getTime()),
  fc.bigInt({ min: 1_000_000_000_000_000n, max: 1_999_999_999_999_999n }),
  fc.bigInt({ min: 1_000_000_000_000_000_000n, max: 1_999_999_999_999_999_999n }),
);
const version = fc
  .tuple(
    fc.nat({ max: 99 }),
    fc.nat({ max: 999 }),
    fc.nat({ max: 999 }),
    fc.constantFrom("", "-beta.1", "-rc.12", "+build.5"),
    fc.constantFrom("", "v"),
  )
  .map(([a, b, c, pre, v]) => `${v}${a}.${b}.${c}${pre}`);
const ordinaryText = fc.oneof(
  fc.lorem({ maxCount: 12, mode: "sentences" }),
  fc
    .tuple(words, fc.nat({ max: 99_999 }), fc.nat({ max: 999 }), fc.integer({ min: 1900, max: 2100 }))
    .map(([w, n, m, year]) => `${w} order #${n}, ${m} items, $${n}.${pad(m % 100)} (${m}%) in ${year} ${w}`),
);

describe("findPII has no false positives", () => {
  const cases: [string, fc.Arbitrary<unknown>][] = [
    ["UUIDs", uuid],
    ["base64url tokens", base64urlToken],
    ["hex tokens", hexToken],
    ["ISO and common dates", isoDate],
    ["timestamps (numbers and strings)", timestamp.chain((t) => fc.constantFrom(t, String(t)))],
    ["version strings", version],
    ["ordinary text", ordinaryText],
  ];

  for (const [name, value] of cases) {
    it(`ignores ${name}`, () => {
      fc.assert(
        fc.property(nested(value), ({ data }) => {
          expect(findPII(data)).toEqual([]);
        }),
        runs,
      );
    });
  }

  it("ignores a mixed session payload of all of them", () => {
    fc.assert(
      fc.property(
        fc.record({ id: uuid, csrf: base64urlToken, etag: hexToken, at: isoDate, ts: timestamp, v: version }),
        ordinaryText,
        (session, note) => {
          expect(findPII({ ...session, note, line: `${session.id} ${session.at} ${session.ts} ${session.v}` })).toEqual(
            [],
          );
        },
      ),
      runs,
    );
  });
});

describe("findPII is total", () => {
  it("never throws on any value and reports well-formed findings", () => {
    fc.assert(
      fc.property(
        fc.anything({ withMap: true, withSet: true, withBigInt: true, withDate: true, withNullPrototype: true }),
        (value) => {
          for (const finding of findPII(value)) {
            expect(typeof finding.path).toBe("string");
            expect(["email", "phone", "card"]).toContain(finding.kind);
          }
        },
      ),
      runs,
    );
  });

  it("never puts a PII key into a path", () => {
    fc.assert(
      fc.property(fc.emailAddress(), words, (email, note) => {
        const findings = findPII({ contacts: { [email]: { note } } });
        expect(findings).toContainEqual({ path: "contacts[<redacted>]", kind: "email" });
        for (const finding of findings) expect(finding.path).not.toContain(email);
      }),
      runs,
    );
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cardTokenBase, genericTokenBase, isCardNumber } from "../../src/core/token-format.js";

/** Any digit string of 12–19 digits made Luhn-valid by its check digit. */
const cardNumber = fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 11, maxLength: 18 }).map((digits) => {
  const body = digits.join("");
  for (let check = 0; check < 10; check++) if (isCardNumber(`${body}${check}`)) return `${body}${check}`;
  throw new Error("no check digit");
});

describe("card token bases", () => {
  it("are Luhn-valid, the same length, keep the last four digits and differ from the card", () => {
    fc.assert(
      fc.property(cardNumber, (card) => {
        const base = cardTokenBase(card);
        expect(base).toHaveLength(card.length);
        expect(base.slice(-4)).toBe(card.slice(-4));
        expect(isCardNumber(base)).toBe(true);
        expect(base).not.toBe(card);
        expect(base[0]).not.toBe("0");
      }),
      { numRuns: 500 },
    );
  });

  it("recognises known test numbers and rejects a wrong check digit or length", () => {
    expect(isCardNumber("4111111111111111")).toBe(true);
    expect(isCardNumber("5500005555555559")).toBe(true);
    expect(isCardNumber("4111111111111112")).toBe(false);
    expect(isCardNumber("41111111111")).toBe(false);
    expect(isCardNumber("4111-1111-1111-1111")).toBe(false);
  });
});

describe("generic token bases", () => {
  const kind = (c: string) => (/[0-9]/.test(c) ? "d" : /[a-z]/.test(c) ? "l" : /[A-Z]/.test(c) ? "u" : c);
  const keepsClasses = (record: string, base: string) => {
    const a = [...record];
    const b = [...base];
    return a.length === b.length && a.every((ch, i) => kind(b[i]!) === kind(ch));
  };

  it("keep length and character classes, or are 22 random base64url characters", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 60 }), (record) => {
        const base = genericTokenBase(record);
        expect(base).not.toBe(record);
        expect(/^[A-Za-z0-9_-]{22}$/.test(base) || keepsClasses(record, base)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it("preserves the format of values with enough letters and digits", () => {
    const base = genericTokenBase("Jane.Doe-1984@example.com");
    expect(keepsClasses("Jane.Doe-1984@example.com", base)).toBe(true);
    expect(base).toMatch(/^[A-Z][a-z]{3}\.[A-Z][a-z]{2}-[0-9]{4}@[a-z]{7}\.[a-z]{3}$/);
  });
});

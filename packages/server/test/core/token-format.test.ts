import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  cardTokenBase,
  cardTokenBits,
  formatBits,
  genericTokenBase,
  isCardNumber,
  KEPT_SEPARATORS,
  MIN_FORMAT_BITS,
} from "../../src/core/token-format.js";

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

/** The class a base keeps at a position: digit, upper, lower, or the kept separator. */
const kind = (c: string) =>
  KEPT_SEPARATORS.includes(c)
    ? c
    : /^\p{White_Space}$/u.test(c)
      ? " "
      : /^\p{N}$/u.test(c)
        ? "d"
        : /^[\p{Lu}\p{Lt}]$/u.test(c)
          ? "u"
          : "l";
const ascii = (c: string) => (/[0-9]/.test(c) ? "d" : /[a-z]/.test(c) ? "l" : /[A-Z]/.test(c) ? "u" : c);

describe("generic token bases", () => {
  const keepsClasses = (record: string, base: string) => {
    const a = [...record];
    const b = [...base];
    return a.length === b.length && a.every((ch, i) => ascii(b[i]!) === kind(ch));
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

/** Code points from many Unicode blocks, lone surrogates and the kept separators. */
const RANGES: [number, number][] = [
  [0x20, 0x7e], // ASCII
  [0xa0, 0x24f], // Latin-1, Latin Extended (diacritics)
  [0x300, 0x36f], // combining marks
  [0x370, 0x3ff], // Greek
  [0x400, 0x4ff], // Cyrillic
  [0x590, 0x5ff], // Hebrew
  [0x600, 0x6ff], // Arabic, Arabic-Indic digits
  [0x900, 0x97f], // Devanagari
  [0xe00, 0xe7f], // Thai
  [0x1100, 0x11ff], // Hangul Jamo
  [0x2000, 0x206f], // general punctuation, white space
  [0x20a0, 0x20cf], // currency symbols
  [0x2100, 0x214f], // letterlike symbols
  [0x2460, 0x24ff], // enclosed alphanumerics (No)
  [0x3000, 0x30ff], // CJK punctuation, ideographic space, kana
  [0x4e00, 0x9fff], // CJK ideographs
  [0xac00, 0xd7a3], // Hangul syllables
  [0xd800, 0xdfff], // lone surrogates
  [0xff00, 0xffef], // full-width forms and digits
  [0x1d400, 0x1d7ff], // mathematical alphanumerics
  [0x1f300, 0x1faff], // emoji
];
const codePoint = fc
  .constantFrom(...RANGES)
  .chain(([lo, hi]) => fc.integer({ min: lo, max: hi }))
  .map((cp) => String.fromCodePoint(cp));
const unicodeValue = fc.oneof(
  fc.array(codePoint, { minLength: 1, maxLength: 80 }).map((chars) => chars.join("")),
  fc
    .array(fc.oneof(codePoint, fc.constantFrom(...KEPT_SEPARATORS)), { minLength: 1, maxLength: 80 })
    .map((chars) => chars.join("")),
);
const CARRIES_INFORMATION = /^[\p{L}\p{N}\p{M}\p{S}]$/u;

describe("token bases reveal nothing", () => {
  it("no letter, digit, mark or symbol of any script survives at its position, and the shape is the promised one", () => {
    fc.assert(
      fc.property(unicodeValue, (record) => {
        const base = genericTokenBase(record);
        const input = Array.from(record);
        const output = Array.from(base);
        if (formatBits(record) < MIN_FORMAT_BITS) {
          expect(base).toMatch(/^[A-Za-z0-9_-]{22}$/);
          return;
        }
        expect(output).toHaveLength(input.length);
        expect(base).toMatch(/^[A-Za-z0-9 \-/.@+(),]*$/);
        for (const [i, ch] of input.entries()) {
          const out = output[i]!;
          if (CARRIES_INFORMATION.test(ch) && !KEPT_SEPARATORS.includes(ch) && ch === out) {
            // An ASCII letter or digit may come out as itself by chance (1 in 26 or 10):
            // only the class is promised. Anything else must never survive.
            expect(/^[A-Za-z0-9]$/.test(ch), `U+${ch.codePointAt(0)!.toString(16)} survived`).toBe(true);
          }
          expect(ascii(out)).toBe(kind(ch));
        }
      }),
      { numRuns: 2000 },
    );
  });

  it("survives lone surrogates and unpaired halves without throwing", () => {
    const record = "\ud800abc\udfffdefghijklmnopqrs\ud83d";
    const base = genericTokenBase(record);
    expect(Array.from(base)).toHaveLength(Array.from(record).length);
    expect(base).toMatch(/^[a-z]+$/);
  });

  /** ASCII letters and digits may repeat by chance; nothing else of the value may appear. */
  const leaked = (record: string, base: string) =>
    Array.from(record).filter((ch) => !/^[A-Za-z0-9]$/.test(ch) && !KEPT_SEPARATORS.includes(ch) && base.includes(ch));

  it("replaces a Japanese name and address, keeping the space and the dashes", () => {
    // The example: 9 letters and 3 digits give 52 bits, too few for the shape.
    const record = "山田太郎 東京都港区1-2-3";
    expect(formatBits(record)).toBeLessThan(MIN_FORMAT_BITS);
    expect(genericTokenBase(record)).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const longer = "山田太郎 東京都港区六本木一丁目1-2-3 ミッドタウン";
    const base = genericTokenBase(longer);
    expect(base).toMatch(/^[a-z]{4} [a-z]{11}[0-9]-[0-9]-[0-9] [a-z]{6}$/);
    expect(leaked(longer, base)).toEqual([]);
  });

  it("replaces Arabic text and Arabic-Indic digits", () => {
    const record = "محمد عبد الله، شارع الملك فهد ١٢٣٤٥٦";
    const base = genericTokenBase(record);
    expect(Array.from(base)).toHaveLength(Array.from(record).length);
    expect(base).toMatch(/^[a-z]{4} [a-z]{3} [a-z]{5} [a-z]{4} [a-z]{5} [a-z]{3} [0-9]{6}$/);
    expect(leaked(record, base)).toEqual([]);
  });

  it("replaces Latin letters with diacritics, precomposed or combining, keeping case", () => {
    for (const record of [
      "Zoë Müller-Lüdenscheidt, Straße 5",
      "Zoe\u0308 Mu\u0308ller-Lu\u0308denscheidt, Stra\u00dfe 5",
    ]) {
      const base = genericTokenBase(record);
      expect(Array.from(base)).toHaveLength(Array.from(record).length);
      expect(base).toMatch(/^[A-Z][a-z]+ [A-Z][a-z]+-[A-Z][a-z]+, [A-Z][a-z]+ [0-9]$/);
      expect(leaked(record, base)).toEqual([]);
    }
  });

  it("replaces full-width digits and letters with ASCII ones", () => {
    const record = "４１１１－１１１１－１１１１－１１１１ＡＢＣＤ";
    const base = genericTokenBase(record);
    expect(leaked(record, base)).toEqual([]);
    expect(base).toMatch(/^[0-9]{4}[a-z][0-9]{4}[a-z][0-9]{4}[a-z][0-9]{4}[A-Z]{4}$/);
  });

  it("keeps the shape of emails and formatted card numbers, and turns short or digit-only values into base64url", () => {
    expect(genericTokenBase("jose.garcia+news@correo.example.es")).toMatch(
      /^[a-z]{4}\.[a-z]{6}\+[a-z]{4}@[a-z]{6}\.[a-z]{7}\.[a-z]{2}$/,
    );
    expect(genericTokenBase("josé@exämple.org")).toMatch(/^[a-z]{4}@[a-z]{7}\.[a-z]{3}$/);
    expect(genericTokenBase("4111 1111 1111 1111 1111")).toMatch(/^[0-9]{4}( [0-9]{4}){4}$/);
    for (const short of ["+44 20 7946 0958", "(555) 123-4567", "123-45-6789", "4111-1111-1111-1111", "ab@c.de"]) {
      expect(genericTokenBase(short)).toMatch(/^[A-Za-z0-9_-]{22}$/);
    }
  });

  it("emoji and symbols become letters", () => {
    const record = "I ♥ 🍣 and ☕ €5 ©2024 ✓ passport";
    const base = genericTokenBase(record);
    expect(leaked(record, base)).toEqual([]);
    expect(base).toMatch(/^[A-Z] [a-z] [a-z] [a-z]{3} [a-z] [a-z][0-9] [a-z][0-9]{4} [a-z] [a-z]{8}$/);
  });

  it("documents the random bits of card bases: 12 digits 23.1, 16 digits 36.4, 19 digits 46.4", () => {
    expect(cardTokenBits(12).toFixed(1)).toBe("23.1");
    expect(cardTokenBits(15).toFixed(1)).toBe("33.1");
    expect(cardTokenBits(16).toFixed(1)).toBe("36.4");
    expect(cardTokenBits(19).toFixed(1)).toBe("46.4");
    expect(formatBits("+44 20 7946 0958").toFixed(1)).toBe("39.9");
    expect(formatBits("123-45-6789").toFixed(1)).toBe("29.9");
    expect(formatBits("jane.doe@example.com").toFixed(1)).toBe("79.9");
    // A 12-digit card: 9 first digits times 10^6 free digits, all distinct bases.
    expect(2 ** cardTokenBits(12)).toBeCloseTo(9e6, -1);
  });
});

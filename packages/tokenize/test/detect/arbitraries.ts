import fc from "fast-check";
import { keyContext } from "../../src/detect/patterns.js";

const digit = fc.integer({ min: 0, max: 9 }).map(String);
const digits = (n: number) => fc.array(digit, { minLength: n, maxLength: n }).map((d) => d.join(""));
const nonZeroDigit = fc.integer({ min: 1, max: 9 }).map(String);
const from2to9 = fc.integer({ min: 2, max: 9 }).map(String);

/** Splits a digit string into groups of the given sizes (the last group takes the rest). */
function group(value: string, sizes: readonly number[]): string[] {
  const groups: string[] = [];
  let at = 0;
  for (const size of sizes) {
    if (at >= value.length) break;
    groups.push(value.slice(at, at + size));
    at += size;
  }
  if (at < value.length) groups.push(value.slice(at));
  return groups;
}

/** E.164 numbers, bare or grouped with one kind of separator, with `+` or `00`. */
export const e164Phone = fc
  .tuple(
    // Country codes: 1 (North America) and 7 stand alone; no other code starts with them.
    fc.integer({ min: 1, max: 999 }).filter((cc) => cc === 1 || cc === 7 || (cc >= 20 && !/^[17]/.test(String(cc)))),
    fc.integer({ min: 6, max: 12 }).chain((n) => digits(n)),
    fc.constantFrom("", " ", "-", "."),
    fc.array(fc.integer({ min: 2, max: 4 }), { minLength: 1, maxLength: 5 }),
    fc.constantFrom("+", "00"),
  )
  .filter(([cc, subscriber]) => String(cc).length + subscriber.length <= 15 && subscriber.length >= 6)
  // `00` stands for `+` only when the number is written with separators.
  .map(([cc, subscriber, sep, sizes, plus]) =>
    sep === "" ? `+${cc}${subscriber}` : `${plus}${cc} ${group(subscriber, sizes).join(sep)}`,
  );

/** North American numbers in the usual written forms. */
export const nanpPhone = fc
  .tuple(
    from2to9,
    digits(2),
    from2to9,
    digits(2),
    digits(4),
    fc.constantFrom("paren", "dash", "dot", "space", "one-dash", "plus-one"),
  )
  .map(([a, a2, e, e2, line, form]) => {
    const area = a + a2;
    const exchange = e + e2;
    switch (form) {
      case "paren":
        return `(${area}) ${exchange}-${line}`;
      case "dash":
        return `${area}-${exchange}-${line}`;
      case "dot":
        return `${area}.${exchange}.${line}`;
      case "space":
        return `${area} ${exchange} ${line}`;
      case "one-dash":
        return `1-${area}-${exchange}-${line}`;
      default:
        return `+1 ${area} ${exchange} ${line}`;
    }
  });

/** Trunk-prefixed national numbers (UK, France, Germany, Japan, Australia style). */
export const trunkPhone = fc
  .tuple(
    nonZeroDigit,
    fc.integer({ min: 7, max: 10 }).chain((n) => digits(n)),
    fc.constantFrom(" ", "-", "."),
    fc.integer({ min: 0, max: 3 }),
    fc.array(fc.integer({ min: 2, max: 4 }), { minLength: 1, maxLength: 4 }),
  )
  .map(([first, rest, sep, areaExtra, sizes]) => {
    const area = `0${first}${rest.slice(0, areaExtra)}`;
    const subscriber = rest.slice(areaExtra);
    const groups = group(subscriber, sizes);
    // Keep every group at two digits or more, as people write them.
    const last = groups.at(-1);
    if (groups.length > 1 && last !== undefined && last.length < 2) {
      groups.pop();
      groups[groups.length - 1] += last;
    }
    return [area, ...groups].join(sep);
  });

export const phone = fc.oneof(e164Phone, nanpPhone, trunkPhone);

const issuers: readonly { prefix: fc.Arbitrary<string>; lengths: readonly number[] }[] = [
  { prefix: fc.constant("4"), lengths: [16, 19] },
  { prefix: fc.integer({ min: 51, max: 55 }).map(String), lengths: [16] },
  { prefix: fc.integer({ min: 2221, max: 2720 }).map(String), lengths: [16] },
  { prefix: fc.constantFrom("34", "37"), lengths: [15] },
  { prefix: fc.integer({ min: 3528, max: 3589 }).map(String), lengths: [16, 17, 18, 19] },
  { prefix: fc.constantFrom("6011", "65", "644", "649"), lengths: [16, 19] },
  { prefix: fc.constant("62"), lengths: [16, 17, 18, 19] },
  { prefix: fc.constantFrom("300", "305", "36"), lengths: [14] },
  { prefix: fc.constantFrom("50", "56", "58", "6304", "67"), lengths: [13, 16, 19] },
  { prefix: fc.integer({ min: 2200, max: 2204 }).map(String), lengths: [16] },
];

/** Appends the Luhn check digit to a digit string. */
export function withLuhnDigit(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return `${body}${(10 - (sum % 10)) % 10}`;
}

/** Luhn-valid card numbers from real issuer ranges, bare or grouped by four. */
export const cardNumber = fc
  .constantFrom(...issuers)
  .chain(({ prefix, lengths }) =>
    fc
      .tuple(prefix, fc.constantFrom(...lengths))
      .chain(([p, length]) => digits(length - p.length - 1).map((middle) => withLuhnDigit(p + middle))),
  )
  .chain((card) =>
    fc.constantFrom("", " ", "-").map((sep) => (sep === "" ? card : group(card, [4, 4, 4, 4, 4]).join(sep))),
  );

const word = fc.constantFrom(
  "the",
  "session",
  "call",
  "me",
  "at",
  "Order",
  "shipped",
  "today",
  "über",
  "naïve",
  "please",
  "contact",
  "x",
  "—",
  "ok",
);
export const words = fc.array(word, { maxLength: 6 }).map((w) => w.join(" "));
/**
 * Prose without a word that labels an id right before the value: `Order 4242424242424242`
 * is read as an order number by design, so card recall is measured without that label.
 */
export const wordsWithoutIdLabel = fc
  .array(
    word.filter((w) => w !== "Order"),
    { maxLength: 6 },
  )
  .map((w) => w.join(" "));

/** Puts a value into prose the way people write it. */
export const inText = (value: fc.Arbitrary<string>, filler: fc.Arbitrary<string> = words) =>
  fc
    .tuple(
      filler,
      fc.constantFrom(" ", ": ", " (", " <", "\n", ", ", "\t", "tel:"),
      value,
      fc.constantFrom(" ", ". ", ", ", ") ", "> ", "\n", "; ", "! "),
      filler,
    )
    .map(([before, open, v, close, after]) => `${before}${open}${v}${close}${after}`);

// Keys that say nothing: a key that names an id (`aId`, `no`) or a card changes how a bare
// digit string under it is read, and is generated on purpose where that is measured.
const key = fc.stringMatching(/^[a-z][A-Za-z0-9_]{0,8}$/).filter((k) => keyContext(k) === "neutral");

/** A JSON-like container with `value` placed at a random path; returns the expected path. */
export const nested = <T>(value: fc.Arbitrary<T>) =>
  fc
    .tuple(
      fc.array(fc.oneof(key, fc.integer({ min: 0, max: 4 })), { maxLength: 6 }),
      value,
      fc.dictionary(key, fc.oneof(fc.integer(), fc.boolean(), words)),
    )
    .map(([segments, leaf, noise]) => {
      let data: unknown = leaf;
      for (let i = segments.length - 1; i >= 0; i--) {
        const segment = segments[i];
        if (typeof segment === "number") {
          const array: unknown[] = Array.from({ length: segment }, (_, n) => `item ${n}`);
          array.push(data);
          data = array;
        } else {
          data = { [segment as string]: data };
        }
      }
      let path = "";
      for (const segment of segments) {
        path += typeof segment === "number" ? `[${segment}]` : path === "" ? segment : `.${segment}`;
      }
      // Noise lives beside the payload under keys that cannot collide with the path.
      const root = segments.length > 0 && typeof segments[0] === "string" ? data : { payload: data };
      if (root !== data) path = path.startsWith("[") ? `payload${path}` : path === "" ? "payload" : `payload.${path}`;
      const noisy = Object.fromEntries(Object.entries(noise).map(([k, v]) => [`Z${k}`, v]));
      return { data: { ...noisy, ...(root as object) }, path, leaf };
    });

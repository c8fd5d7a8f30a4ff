// Generators for measuring the detector: realistic variants of PII (recall) and realistic
// identifiers that are not PII (false positives), each placed the way sessions hold them.
import { domainToASCII } from "node:url";
import fc from "fast-check";
import type { PIIFinding, PIIKind } from "../../src/detect/index.js";
import {
  cardNumber,
  e164Phone,
  nanpPhone,
  nested,
  trunkPhone,
  withLuhnDigit,
  words,
  wordsWithoutIdLabel,
} from "./arbitraries.js";

/** A generated payload and the finding it must (recall) or must not (false positives) produce. */
export interface Sample {
  data: unknown;
  expected?: PIIFinding;
}

const digit = fc.integer({ min: 0, max: 9 }).map(String);
const digits = (n: number) => fc.array(digit, { minLength: n, maxLength: n }).map((d) => d.join(""));

// Recall ----------------------------------------------------------------------------------

const bareCard = cardNumber.map((c) => c.replace(/\D/g, ""));
const groups = (card: string, sep: string) =>
  card.length === 15
    ? `${card.slice(0, 4)}${sep}${card.slice(4, 10)}${sep}${card.slice(10)}`
    : card.replace(/(\d{4})(?=\d)/g, `$1${sep}`);

const cardWith = (seps: readonly string[]) =>
  fc.tuple(bareCard, fc.constantFrom(...seps)).map(([card, sep]) => groups(card, sep));

const tag = fc.stringMatching(/^[a-z0-9][a-z0-9_-]{0,11}$/);
// fc.emailAddress() local parts that end in a dot cannot take a tag and stay valid.
const plusTagged = fc
  .tuple(
    fc.emailAddress().filter((e) => !e.includes(".@")),
    tag,
  )
  .map(([email, t]) => {
    const at = email.lastIndexOf("@");
    return `${email.slice(0, at)}+${t}${email.slice(at)}`;
  });
const idnLabel = fc
  .array(fc.constantFrom(..."abcdeèéüöäßçñøåłžšćпримерсайтδοκιμήبريد例子测试ｔ"), { minLength: 2, maxLength: 10 })
  .map((c) => c.join(""))
  .filter((label) => /[\u0080-\uffff]/.test(label) && domainToASCII(`${label}.example`) !== "");
const idnTld = fc.constantFrom("de", "com", "org", "рф", "中国", "ελ", "example");
const idnDomain = fc.tuple(idnLabel, idnTld).map(([label, tld]) => `${label}.${tld}`);
const localPart = fc.stringMatching(/^[a-z][a-z0-9._+-]{0,14}[a-z0-9]$/).filter((l) => !l.includes(".."));
const idnUnicode = fc.tuple(localPart, idnDomain).map(([l, d]) => `${l}@${d}`);
const idnPunycode = fc.tuple(localPart, idnDomain).map(([l, d]) => `${l}@${domainToASCII(d)}`);

const intlPhone = fc
  .tuple(
    fc.constantFrom("44", "33", "49", "81", "91", "55", "61", "34", "39", "31"),
    digits(2),
    digits(3),
    digits(4),
    fc.constantFrom(" ", "-", ".", "mixed", "(0)"),
    fc.constantFrom("+", "00"),
  )
  .map(([cc, a, b, c, sep, plus]) => {
    const area = a.replace(/^0/, "1");
    if (sep === "mixed") return `${plus}${cc} ${area} ${b}-${c}`;
    if (sep === "(0)") return `${plus}${cc} (0)${area} ${b} ${c}`;
    return `${plus}${cc}${plus === "+" ? sep : " "}${area}${sep}${b}${sep}${c}`;
  });
const germanSlash = fc
  .tuple(fc.integer({ min: 1, max: 9 }), digits(2), digits(7))
  .map(([a, b, c]) => `0${a}${b.slice(0, 1)}/${c}`);

/** Writes a number in another script's digits (and that script's punctuation, for full width). */
const SCRIPTS = {
  fullWidth: 0xff10,
  arabicIndic: 0x660,
  persian: 0x6f0,
  devanagari: 0x966,
  bengali: 0x9e6,
  thai: 0xe50,
};
function inScript(text: string, zero: number): string {
  let out = text.replace(/\d/g, (d) => String.fromCodePoint(zero + Number(d)));
  if (zero === SCRIPTS.fullWidth) {
    out = out.replace(/[+\-().]/g, (c) => String.fromCodePoint((c.codePointAt(0) as number) + 0xfee0));
  }
  return out;
}
const script = fc.constantFrom(...Object.values(SCRIPTS));
const anyPhone = fc.oneof(e164Phone, nanpPhone, trunkPhone, intlPhone);

const jsonIn = (key: string, value: string) => JSON.stringify({ [key]: value });
/** Longer strings that carry a value: prose, logs, JSON in a string, query strings. */
// Without `Order` right before the value: `Order 4242424242424242` is an order number by design.
const inLongerString = (value: fc.Arbitrary<string>, label: string) =>
  fc
    .tuple(value, wordsWithoutIdLabel, wordsWithoutIdLabel, fc.integer({ min: 0, max: 5 }))
    .map(([v, before, after, form]) => {
      switch (form) {
        case 0:
          return `${before} ${label}: ${v}. ${after}`;
        case 1:
          return `2024-06-01T10:00:00Z INFO user updated ${label}=${v} request=3f2b8c1e`;
        case 2:
          return jsonIn(label, v);
        case 3:
          return `${before} (${v}) ${after}`;
        case 4:
          return `${label}=${v}; ${after}`;
        default:
          return `${before}\n${v}\n${after}`;
      }
    });

const percentEncoded = (value: fc.Arbitrary<string>) => value.map((v) => encodeURIComponent(v));
const formEncoded = (value: fc.Arbitrary<string>, field: string) =>
  fc
    .tuple(value, fc.constantFrom("Ada", "Grace Hopper", "x"))
    .map(([v, name]) => new URLSearchParams({ name, [field]: v, plan: "pro" }).toString());

const at = (kind: PIIKind, value: fc.Arbitrary<string>): fc.Arbitrary<Sample> =>
  nested(value).map(({ data, path }) => ({ data, expected: { path: path === "" ? "$" : path, kind } }));
/** The value as an object key: reported at the object's path with `[<redacted>]`. */
const asKey = (kind: PIIKind, value: fc.Arbitrary<string>): fc.Arbitrary<Sample> =>
  nested(value.map((v) => ({ [v]: true }))).map(({ data, path }) => ({
    data,
    expected: { path: `${path}[<redacted>]`, kind },
  }));
/** The value among other elements of an array. */
const inArray = (kind: PIIKind, value: fc.Arbitrary<string>): fc.Arbitrary<Sample> =>
  fc.tuple(value, fc.array(words, { maxLength: 4 }), fc.array(words, { maxLength: 4 })).map(([v, before, after]) => ({
    data: { items: [...before, v, ...after] },
    expected: { path: `items[${before.length}]`, kind },
  }));

/** Realistic variant classes of PII, each with the finding it must produce. */
export const recallClasses: [name: string, samples: fc.Arbitrary<Sample>][] = [
  ["card, bare", at("card", bareCard)],
  ["card, spaces", at("card", cardWith([" ", "  "]))],
  ["card, dashes", at("card", cardWith(["-", " - "]))],
  ["card, _ / . separators", at("card", cardWith(["_", "/", "."]))],
  ["card, no-break and narrow spaces", at("card", cardWith(["\u00a0", "\u202f", "\u2009"]))],
  ["card, en dashes and minus signs", at("card", cardWith(["\u2013", "\u2212", "\u2010"]))],
  ["phone, E.164 and +CC with separators", at("phone", e164Phone)],
  ["phone, international (+44 20 …, 0049 30 …, (0), mixed)", at("phone", intlPhone)],
  ["phone, North American ((415) 555-2671 …)", at("phone", nanpPhone)],
  ["phone, national trunk (020 7946 0958 …)", at("phone", trunkPhone)],
  ["phone, German area/number", at("phone", germanSlash)],
  [
    "phone, no-break spaces",
    at(
      "phone",
      anyPhone.map((p) => p.replace(/ /g, "\u00a0")),
    ),
  ],
  ["email, generated", at("email", fc.emailAddress())],
  ["email, + tags", at("email", plusTagged)],
  ["email, IDN domain (unicode)", at("email", idnUnicode)],
  ["email, IDN domain (punycode)", at("email", idnPunycode)],
  [
    "email, full-width @",
    at(
      "email",
      fc.emailAddress().map((e) => e.replace("@", "＠")),
    ),
  ],
  ["URL-encoded email (%40)", at("email", percentEncoded(fc.oneof(fc.emailAddress(), plusTagged)))],
  ["URL-encoded phone", at("phone", percentEncoded(anyPhone))],
  ["URL-encoded card", at("card", percentEncoded(cardWith([" ", "-"])))],
  ["form-encoded email", at("email", formEncoded(fc.oneof(fc.emailAddress(), plusTagged), "email"))],
  ["form-encoded phone", at("phone", formEncoded(anyPhone, "phone"))],
  ["form-encoded card", at("card", formEncoded(cardWith([" ", "-", ""]), "card"))],
  [
    "Unicode digits, phone",
    at(
      "phone",
      fc.tuple(anyPhone, script).map(([p, z]) => inScript(p, z)),
    ),
  ],
  [
    "Unicode digits, card",
    at(
      "card",
      fc.tuple(cardWith([" ", "-", ""]), script).map(([c, z]) => inScript(c, z)),
    ),
  ],
  ["in longer strings, email", at("email", inLongerString(fc.emailAddress(), "email"))],
  ["in longer strings, phone", at("phone", inLongerString(anyPhone, "phone"))],
  ["in longer strings, card", at("card", inLongerString(cardWith([" ", "-", ""]), "card"))],
  ["in arrays, email", inArray("email", fc.emailAddress())],
  ["in arrays, phone", inArray("phone", anyPhone)],
  ["in arrays, card", inArray("card", cardWith([" ", "-", ""]))],
  ["object keys, email", asKey("email", fc.emailAddress())],
  ["object keys, phone", asKey("phone", anyPhone)],
  ["object keys, card", asKey("card", cardWith([" ", "-"]))],
];

// False positives --------------------------------------------------------------------------

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const ulid = fc
  .tuple(
    fc.integer({ min: 1_400_000_000_000, max: 4_000_000_000_000 }),
    fc.array(fc.integer({ min: 0, max: 31 }), { minLength: 16, maxLength: 16 }),
  )
  .map(([time, random]) => {
    let t = "";
    let rest = time;
    for (let i = 0; i < 10; i++) {
      t = CROCKFORD[rest % 32] + t;
      rest = Math.floor(rest / 32);
    }
    return t + random.map((i) => CROCKFORD[i]).join("");
  });
const date = fc.date({
  min: new Date("1970-01-01T00:00:00Z"),
  max: new Date("2100-12-31T23:59:59Z"),
  noInvalidDate: true,
});
const pad = (n: number) => String(n).padStart(2, "0");
const timestamp = fc.oneof(
  date.map((d) => d.toISOString()),
  date.map((d) => d.toISOString().replace("T", " ").slice(0, 19)),
  date.map((d) => d.toUTCString()),
  date.map(
    (d) =>
      `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`,
  ),
  date.map(
    (d) =>
      `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}Z`,
  ),
  date.map((d) => Math.floor(d.getTime() / 1000)),
  date.map((d) => d.getTime()),
  date.map((d) => String(d.getTime())),
  fc.bigInt({ min: 1_000_000_000_000_000n, max: 1_999_999_999_999_999n }).map(String),
  fc.bigInt({ min: 1_000_000_000_000_000_000n, max: 1_999_999_999_999_999_999n }).map(String),
  date.map((d) => `[${d.toISOString()}] GET /orders 200 ${d.getTime() % 1000}ms`),
);
/** A 16-digit id that starts with 4 and passes the Luhn check, as one in ten such ids does. */
const luhnId4 = digits(14).map((d) => withLuhnDigit(`4${d}`));
const ID_KEYS = [
  "id",
  "orderId",
  "order_id",
  "orderNumber",
  "userId",
  "txnId",
  "transaction_id",
  "invoiceNo",
  "trackingNumber",
  "ref",
  "requestId",
  "externalId",
  "customerNumber",
  "sku",
  "accountId",
  "ticketNo",
];
const idKey = fc.constantFrom(...ID_KEYS);
const ID_LABELS = [
  "Order #",
  "order ",
  "Order no. ",
  "order number: ",
  "ref: ",
  "Ref ",
  "invoice ",
  "id=",
  "ID: ",
  "tracking number ",
  "Txn ",
  "transaction ",
];
const idLabel = fc.constantFrom(...ID_LABELS);
const labelledInText = (id: fc.Arbitrary<string>) =>
  fc.tuple(idLabel, id, words).map(([label, v, after]) => `${label}${v} ${after}`);
const underIdKey = (id: fc.Arbitrary<string | number>) =>
  fc.tuple(idKey, id, fc.boolean()).map(([k, v, list]) => (list ? { [`${k}s`]: [v, v] } : { [k]: v }));
const randomId4 = digits(15).map((d) => `4${d}`);
const idContexts = (id: fc.Arbitrary<string>) =>
  fc.oneof(
    underIdKey(id),
    underIdKey(id.map(Number)),
    labelledInText(id).map((text) => ({ note: text })),
    fc.tuple(id, fc.constantFrom("ORD-", "INV-", "ord_", "#", "TX", "/orders/")).map(([v, p]) => ({ v: `${p}${v}` })),
  );
const sixteenDigitId4 = fc.oneof(
  underIdKey(luhnId4),
  underIdKey(luhnId4.map(Number)),
  labelledInText(luhnId4).map((text) => ({ note: text })),
  fc
    .tuple(luhnId4, fc.constantFrom("ORD-", "INV-", "ord_", "#", "TX", "/orders/"))
    .map(([id, p]) => ({ v: `${p}${id}` })),
);
const orderNumber = fc.oneof(
  fc.tuple(digits(3), digits(7), digits(7)).map(([a, b, c]) => `${a}-${b}-${c}`),
  fc.integer({ min: 1000, max: 9_999_999 }).map((n) => `#${n}`),
  fc.tuple(fc.integer({ min: 2000, max: 2100 }), digits(6)).map(([y, n]) => `ORD-${y}-${n}`),
  fc.tuple(fc.integer({ min: 2000, max: 2100 }), digits(6)).map(([y, n]) => `INV-${y}${n}`),
  fc.integer({ min: 10_000_000, max: 99_999_999 }).map(String),
  fc.tuple(fc.integer({ min: 1, max: 9 }), digits(11)).map(([a, b]) => `${a}${b}`),
  fc
    .tuple(fc.integer({ min: 1, max: 9 }), digits(15))
    .map(([a, b]) => `${a}${b}`)
    .chain((id) => underIdKey(fc.constant(id))),
  fc
    .tuple(fc.integer({ min: 1, max: 9 }), digits(15))
    .map(([a, b]) => `${a}${b}`)
    .chain((id) => labelledInText(fc.constant(id))),
  fc.tuple(words, fc.integer({ min: 1, max: 99_999 })).map(([w, n]) => `${w} order #${n} shipped`),
);
const hex = (bytes: number) =>
  fc.uint8Array({ minLength: bytes, maxLength: bytes }).map((b) => Buffer.from(b).toString("hex"));
const hash = fc.oneof(
  hex(16),
  hex(20),
  hex(32),
  hex(20).map((h) => h.slice(0, 7)),
  hex(32).map((h) => `sha256:${h}`),
  fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => `sha256-${Buffer.from(b).toString("base64")}`),
  fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => Buffer.from(b).toString("base64")),
  fc
    .uint8Array({ minLength: 23, maxLength: 23 })
    .map((b) => `$2b$10$${Buffer.from(b).toString("base64").replace(/\+/g, ".").slice(0, 53)}`),
  hex(20).map((h) => `W/"${h}"`),
);
const slug = fc.stringMatching(/^[a-z][a-z0-9-]{0,14}[a-z0-9]$/);
const host = fc.constantFrom(
  "github.com",
  "gitlab.com",
  "bitbucket.org",
  "git.example.com",
  "ssh.dev.azure.com",
  "gitlab.example.co.uk",
);
const gitRemote = fc.oneof(
  fc.tuple(host, slug, slug).map(([h, o, r]) => `git@${h}:${o}/${r}.git`),
  fc.tuple(host, slug, slug).map(([h, o, r]) => `git@${h}:${o}/${r}`),
  fc.tuple(host, slug, slug).map(([h, o, r]) => `ssh://git@${h}/${o}/${r}.git`),
  fc
    .tuple(host, slug, slug, fc.integer({ min: 22, max: 65_535 }))
    .map(([h, o, r, p]) => `ssh://git@${h}:${p}/${o}/${r}.git`),
  fc.tuple(host, slug, slug).map(([h, o, r]) => `https://${h}/${o}/${r}.git`),
  fc.tuple(host, slug, slug).map(([h, o, r]) => `git clone git@${h}:${o}/${r}.git && cd ${r}`),
  fc.tuple(slug, host, slug, slug).map(([u, h, o, r]) => `${u}@${h}:${o}/${r}.git`),
);

/** Classes of values that are not PII; every finding on them is a false positive. */
export const falsePositiveClasses: [name: string, samples: fc.Arbitrary<Sample>][] = [
  ["UUIDs", nested(fc.uuid())],
  ["UUIDs v7", nested(fc.uuid({ version: 7 }))],
  ["ULIDs", nested(ulid)],
  ["timestamps", nested(timestamp)],
  ["order numbers", nested(orderNumber)],
  ["16-digit ids starting with 4 (random, id key or label)", idContexts(randomId4).map((data) => ({ data }))],
  ["16-digit ids starting with 4 (Luhn-valid, id key or label)", sixteenDigitId4.map((data) => ({ data }))],
  ["hashes", nested(hash)],
  ["git remotes", nested(gitRemote)],
];

/**
 * The trade-off the id context makes, printed and not asserted: a bare digit string is
 * read by its key or label, so a real card under an id key is missed, and a random id under
 * a neutral key is flagged whenever it looks like a card (one in ten pass the Luhn check).
 */
export const tradeOffClasses: [name: string, samples: fc.Arbitrary<Sample>][] = [
  [
    "bare cards under an id key or label (flagged)",
    idContexts(bareCard.filter((c) => c.length === 16)).map((data) => ({ data })),
  ],
  ["random 16-digit ids starting with 4 under a neutral key (flagged)", nested(randomId4)],
];

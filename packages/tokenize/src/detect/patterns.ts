// Recognisers for single strings. Kept free of any Node or vault import so the detector
// runs in edge runtimes (Next.js middleware) and in the browser.

// Text folding ---------------------------------------------------------------------------

/**
 * The zero of every block of ten decimal digits (`\p{Nd}`) outside ASCII, ascending:
 * Arabic-Indic, Extended Arabic-Indic, Devanagari, Bengali, …, full-width, mathematical.
 */
const DIGIT_ZEROS = [
  0x660, 0x6f0, 0x7c0, 0x966, 0x9e6, 0xa66, 0xae6, 0xb66, 0xbe6, 0xc66, 0xce6, 0xd66, 0xde6, 0xe50, 0xed0, 0xf20,
  0x1040, 0x1090, 0x17e0, 0x1810, 0x1946, 0x19d0, 0x1a80, 0x1a90, 0x1b50, 0x1bb0, 0x1c40, 0x1c50, 0xa620, 0xa8d0,
  0xa900, 0xa9d0, 0xa9f0, 0xaa50, 0xabf0, 0xff10, 0x104a0, 0x10d30, 0x10d40, 0x11066, 0x110f0, 0x11136, 0x111d0,
  0x112f0, 0x11450, 0x114d0, 0x11650, 0x116c0, 0x116d0, 0x116da, 0x11730, 0x118e0, 0x11950, 0x11bf0, 0x11c50, 0x11d50,
  0x11da0, 0x11de0, 0x11f50, 0x16130, 0x16a60, 0x16ac0, 0x16b50, 0x16d70, 0x1ccf0, 0x1d7ce, 0x1d7d8, 0x1d7e2, 0x1d7ec,
  0x1d7f6, 0x1e140, 0x1e2f0, 0x1e4f0, 0x1e5f1, 0x1e950, 0x1fbf0,
];

const NON_ASCII = /[\u0080-\uffff]/;

/** The ASCII a non-ASCII code point folds to; `undefined` when it stays as it is. */
function foldCode(code: number): string | undefined {
  // Full-width ASCII sits 0xFEE0 above ASCII.
  if (code >= 0xff01 && code <= 0xff5e) return String.fromCharCode(code - 0xfee0);
  if (code >= 0x2000 && code <= 0x206f) {
    if (code <= 0x200a || code === 0x202f || code === 0x205f) return " ";
    if (code <= 0x200f || (code >= 0x202a && code <= 0x202e) || code >= 0x2060) return "";
    if (code <= 0x2015 || code === 0x2043) return "-";
    if (code === 0x2028 || code === 0x2029) return "\n";
    return undefined;
  }
  switch (code) {
    case 0x00a0:
    case 0x1680:
    case 0x3000:
      return " ";
    case 0x00ad:
    case 0x180e:
    case 0xfeff:
      return "";
    case 0x2212:
    case 0x30fc:
    case 0xfe58:
    case 0xfe63:
      return "-";
    case 0xfe6b:
      return "@";
  }
  if (code < 0x660) return undefined;
  // The block of ten digits whose zero is the last one at or below `code`, if any.
  let low = 0;
  let high = DIGIT_ZEROS.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if ((DIGIT_ZEROS[mid] as number) <= code) low = mid;
    else high = mid - 1;
  }
  const offset = code - (DIGIT_ZEROS[low] as number);
  return offset >= 0 && offset < 10 ? String(offset) : undefined;
}

/**
 * Folds what people and keyboards write into the ASCII forms the recognisers read:
 * full-width forms (`＠４２`), every script's decimal digits to 0–9, Unicode spaces to a
 * space, Unicode dashes to `-`, and invisible marks (zero-width, bidirectional: numbers
 * copied from right-to-left text carry them) removed. Text with nothing to fold comes back
 * as is, after one pass over its characters.
 */
export function foldText(text: string): string {
  if (!NON_ASCII.test(text)) return text;
  let out: string | undefined;
  let copied = 0;
  for (let i = 0; i < text.length; i++) {
    let code = text.charCodeAt(i);
    if (code < 0x80) continue;
    const wide = code >= 0xd800 && code <= 0xdbff && i + 1 < text.length;
    if (wide) code = text.codePointAt(i) as number;
    const folded = foldCode(code);
    if (folded !== undefined) {
      out = (out ?? "") + text.slice(copied, i) + folded;
      copied = i + (wide ? 2 : 1);
    }
    if (wide) i++;
  }
  return out === undefined ? text : out + text.slice(copied);
}

const PERCENT = /%[0-9A-Fa-f]{2}/;
const PERCENT_RUN = /(?:%[0-9A-Fa-f]{2})+/g;
/** `key=value` at the start or after `&`: a form-encoded string, where `+` is a space. */
const FORM_FIELD = /(?:^|&)[\w.[\]-]+=[^&]*\+/;

function percentDecode(text: string): string {
  return text.replace(PERCENT_RUN, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      // Not UTF-8 as a whole: decode the ASCII bytes, keep the rest as written.
      return run.replace(/%([0-9A-Fa-f]{2})/g, (sequence, hex: string) => {
        const byte = Number.parseInt(hex, 16);
        return byte < 0x80 ? String.fromCharCode(byte) : sequence;
      });
    }
  });
}

function decodeTwice(text: string): string {
  const once = percentDecode(text);
  return PERCENT.test(once) ? percentDecode(once) : once;
}

/**
 * The readings of one string the recognisers look at: the folded text, and when it is
 * URL- or form-encoded (`ada%40example.org`, `phone=%2B44+20+7946+0958`), its decoded
 * forms too (twice, for double encoding). Most strings have exactly one reading.
 */
export function readings(text: string): string[] {
  const folded = foldText(text);
  const out = [folded];
  return isEncoded(folded) ? withDecoded(folded, out) : out;
}

/** True when the text is URL- or form-encoded and so has more than one reading. */
export function isEncoded(folded: string): boolean {
  return (
    (folded.includes("%") && PERCENT.test(folded)) ||
    (folded.includes("+") && folded.includes("=") && FORM_FIELD.test(folded))
  );
}

function withDecoded(folded: string, out: string[]): string[] {
  const encoded = folded.includes("%") && PERCENT.test(folded);
  const form = folded.includes("+") && folded.includes("=") && FORM_FIELD.test(folded);
  if (encoded) out.push(foldText(decodeTwice(folded)));
  if (form) out.push(foldText(decodeTwice(folded.replace(/\+/g, " "))));
  return out;
}

// Emails --------------------------------------------------------------------------------

/**
 * The end of a local part: dot-atom (RFC 5322 atext, plus the letters and digits of any
 * script as RFC 6531 allows, no doubled dot) right before the `@`. A suffix is enough, as
 * in prose (`mail:ada@example.com`).
 */
const LOCAL_PART_END = /[\p{L}\p{M}\p{N}!#$%&'*+/=?^_`{|}~-]+(?:\.[\p{L}\p{M}\p{N}!#$%&'*+/=?^_`{|}~-]+)*$/u;
/**
 * Domain after the `@`: labels of letters (any script: IDN), digits and hyphens, and a TLD
 * of 2–63 letters or an IDNA `xn--` one, which keeps `user@host` and `pkg@1.2.3` out.
 */
const DOMAIN =
  /^(?:[\p{L}\p{M}\p{N}](?:[\p{L}\p{M}\p{N}-]{0,61}[\p{L}\p{M}\p{N}])?\.)+(?:\p{L}[\p{L}\p{M}]{1,62}|xn--[A-Za-z0-9-]{2,59})(?![\p{L}\p{M}\p{N}-])/u;
/** `//user@host`, `//user:secret@host`: URL userinfo (ssh remotes), not a mailbox. */
const USERINFO = /[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#@\s]*$/;
/** `logo@2x.png`: the retina image naming convention. */
const IMAGE_SCALE = /^\d+(?:\.\d+)?x\.(?:png|jpe?g|gif|webp|avif|svg|bmp|ico|tiff?)$/i;
// RFC 5321 limits: 64 characters before the `@`, 255 after.
const MAX_LOCAL = 64;
const MAX_DOMAIN = 255;

/**
 * True when the string contains something shaped like an email address. Each `@` is
 * checked on a bounded window around it, so the cost stays linear on hostile input
 * (a plain regex over the whole string is quadratic on long runs of local-part characters).
 * `git@host:org/repo.git` and `ssh://git@host/…` are remotes, not addresses.
 */
export function hasEmail(text: string): boolean {
  for (let at = text.indexOf("@"); at !== -1; at = text.indexOf("@", at + 1)) {
    const before = text.slice(Math.max(0, at - MAX_LOCAL), at);
    if (!LOCAL_PART_END.test(before) || USERINFO.test(before)) continue;
    const domain = DOMAIN.exec(text.slice(at + 1, at + 1 + MAX_DOMAIN));
    if (domain === null) continue;
    const next = text[at + 1 + domain[0].length];
    const afterNext = text[at + 2 + domain[0].length];
    // `host:path` (scp-style remote) or `host:port`; a colon that ends a sentence is fine.
    if (next === ":" && afterNext !== undefined && !/\s/.test(afterNext)) continue;
    if (IMAGE_SCALE.test(domain[0])) continue;
    return true;
  }
  return false;
}

// Digits --------------------------------------------------------------------------------

// A run of digits joined by the separators phone and card numbers use. Each repetition
// consumes a digit, so matching stays linear.
const DIGIT_RUN = /[+(]?\d(?:[ \t\u00a0()./_-]*\d)*/g;
/**
 * A character that glues a number to a word. Scripts written without spaces (Han, kana,
 * Hangul, Thai, …) do not: `電話03-1234-5678です` is a number in a sentence.
 */
const WORDISH =
  /(?![\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Hangul}\p{sc=Thai}\p{sc=Lao}\p{sc=Khmer}\p{sc=Myanmar}])[\p{L}\p{N}_]/u;

function isWordish(char: string): boolean {
  const c = char.charCodeAt(0);
  if (c < 0x80) return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
  return WORDISH.test(char);
}
const INNER_SPACE = /[ \t\u00a0]+/g;

/** The longest phone or card number candidate spans this many whitespace-separated chunks. */
const MAX_CHUNKS = 9;

export interface DigitFindings {
  phone: boolean;
  /** A card number written with separators (`4242 4242 4242 4242`): a card in any context. */
  groupedCard: boolean;
  /** A card number written as bare digits, not preceded by an id label (`order 4242…`). */
  bareCard: boolean;
}

const NO_DIGITS: Readonly<DigitFindings> = Object.freeze({ phone: false, groupedCard: false, bareCard: false });

/** Scans free text (already folded, see {@link readings}) for phone and card numbers. */
export function scanDigits(text: string): Readonly<DigitFindings> {
  if (longestDigitRun(text) < 7) return NO_DIGITS;
  const found: DigitFindings = { phone: false, groupedCard: false, bareCard: false };
  DIGIT_RUN.lastIndex = 0;
  for (let m = DIGIT_RUN.exec(text); m !== null; m = DIGIT_RUN.exec(text)) {
    const run = m[0];
    if (countDigits(run) < 7) continue;
    const start = m.index;
    const end = start + run.length;
    const { chunks, offsets } = splitChunks(run);
    // A run glued to a word, a path, a version suffix or a UUID segment is part of an
    // identifier, not a number someone typed: drop the chunk that touches that edge.
    let first = 0;
    let last = chunks.length;
    if (gluedBefore(text, start)) first = 1;
    if (gluedAfter(text, end)) last -= 1;
    // A number found at chunks [i, j) is not read again as part of another one: the
    // `0031 2200 3222` inside the card `2223 0031 2200 3222` is no phone number.
    for (let i = first, next = first + 1; i < last && !(found.phone && found.groupedCard); i = next, next = i + 1) {
      // Only the first chunk of a run may be a lone digit (`1 415 555 2671`): no number
      // starts with one in the middle of a run, and `1 1 1 …` would cost MAX_CHUNKS each.
      if (i > first && (chunks[i] as string).length === 1) continue;
      for (let j = Math.min(last, i + MAX_CHUNKS); j > i; j--) {
        let candidate = chunks.slice(i, j).join(" ");
        // An opening parenthesis of the prose around it, not an area code's.
        if (candidate.startsWith("(") && !/^\(\d{1,5}\)/.test(candidate)) candidate = candidate.slice(1);
        if (!found.groupedCard && isCardShaped(candidate)) {
          if (!BARE.test(candidate)) {
            found.groupedCard = true;
            next = j;
            break;
          }
          if (!idLabelBefore(text, start + (offsets[i] as number))) found.bareCard = true;
          // Labelled as an id or not, these digits are a card-shaped number, not a phone.
          next = j;
          break;
        }
        if (!found.phone && phoneShaped(candidate)) {
          found.phone = true;
          next = j;
          break;
        }
      }
    }
    if (found.phone && found.groupedCard) break;
  }
  return found;
}

const BARE = /^\d+$/;

function splitChunks(run: string): { chunks: string[]; offsets: number[] } {
  if (!run.includes(" ") && !run.includes("\t") && !run.includes("\u00a0")) return { chunks: [run], offsets: [0] };
  const chunks: string[] = [];
  const offsets: number[] = [];
  let at = 0;
  INNER_SPACE.lastIndex = 0;
  for (let m = INNER_SPACE.exec(run); m !== null; m = INNER_SPACE.exec(run)) {
    chunks.push(run.slice(at, m.index));
    offsets.push(at);
    at = m.index + m[0].length;
  }
  chunks.push(run.slice(at));
  offsets.push(at);
  return { chunks, offsets };
}

/**
 * Words that name a card. Checked in keys (`cardNumber`, `pan`) and in the text before a
 * bare number (`card no. 4242…`); they win over id words.
 */
const CARD_WORDS = new Set([
  "card",
  "cards",
  "cc",
  "ccn",
  "pan",
  "credit",
  "creditcard",
  "debit",
  "visa",
  "mastercard",
  "amex",
  "payment",
  "carte",
  "karte",
  "kreditkarte",
  "tarjeta",
  "cartao",
  "carta",
]);
/**
 * Words that name an identifier. A bare digit string right after one (`order 4…`,
 * `ref: 4…`) or under such a key (`orderId`, `txn_id`, `orders[].number`) is an id even
 * when it passes the Luhn check, as one in ten random numbers does.
 */
const ID_WORDS = new Set([
  "id",
  "ids",
  "uid",
  "guid",
  "no",
  "nr",
  "num",
  "number",
  "numbers",
  "ref",
  "refs",
  "reference",
  "key",
  "seq",
  "sequence",
  "serial",
  "sku",
  "order",
  "orders",
  "invoice",
  "invoices",
  "tracking",
  "txn",
  "transaction",
  "trace",
  "request",
  "correlation",
  "account",
  "customer",
  "ticket",
  "case",
  "booking",
  "shipment",
  "parcel",
  "ts",
  "timestamp",
  "time",
  "epoch",
  "nonce",
  "version",
  "build",
  "snowflake",
  "hash",
  "checksum",
  "isbn",
  "ean",
  "upc",
  "gtin",
  "barcode",
]);

/** `card`, `id` or `neutral`: what a key says about a bare digit string stored under it. */
export function keyContext(key: string): "card" | "id" | "neutral" {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/);
  let id = false;
  for (const word of words) {
    const singular = word.endsWith("s") ? word.slice(0, -1) : word;
    if (CARD_WORDS.has(word) || CARD_WORDS.has(singular)) return "card";
    if (ID_WORDS.has(word) || ID_WORDS.has(singular)) id = true;
  }
  return id ? "id" : "neutral";
}

const LABEL_BEFORE = /([A-Za-z]+)[\s:=#."'()[\]-]*$/;
const WORDS = /[A-Za-z]+/g;

/** True when the words right before `start` name an id (`Order #`, `ref:`) and none a card. */
function idLabelBefore(text: string, start: number): boolean {
  const window = text.slice(Math.max(0, start - 40), start);
  const label = LABEL_BEFORE.exec(window);
  if (label === null) return false;
  const word = (label[1] as string).toLowerCase();
  if (!ID_WORDS.has(word) && !(word.endsWith("s") && ID_WORDS.has(word.slice(0, -1)))) return false;
  for (const word of window.match(WORDS) ?? []) if (CARD_WORDS.has(word.toLowerCase())) return false;
  return true;
}

/**
 * Digits in the longest stretch of digits and separators: a cheap pass that lets most
 * strings (ids, tokens, words, short numbers) skip the regex work, since no phone number
 * has fewer than 7 digits.
 */
function longestDigitRun(text: string): number {
  let longest = 0;
  let current = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      current++;
      if (current > longest) longest = current;
    } else if (
      c !== 32 &&
      c !== 9 &&
      c !== 0xa0 &&
      c !== 40 &&
      c !== 41 &&
      c !== 46 &&
      c !== 45 &&
      c !== 43 &&
      c !== 47 &&
      c !== 95
    ) {
      current = 0;
    }
  }
  return longest;
}

function gluedBefore(text: string, start: number): boolean {
  const prev = text[start - 1];
  if (prev === undefined) return false;
  if (prev === ":") {
    // `12:30:45 …` is a clock; `tel:+1…` is not.
    const beforeColon = text[start - 2];
    return beforeColon !== undefined && beforeColon >= "0" && beforeColon <= "9";
  }
  return (
    isWordish(prev) || prev === "-" || prev === "." || prev === "/" || prev === "+" || prev === "#" || prev === "_"
  );
}

function gluedAfter(text: string, end: number): boolean {
  const next = text[end];
  if (next === undefined) return false;
  if (isWordish(next) || next === "/") return true;
  if (next === "-" || next === "." || next === ":") {
    const after = text[end + 1];
    return after !== undefined && isWordish(after);
  }
  return false;
}

function countDigits(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) n++;
  }
  return n;
}

// Phones --------------------------------------------------------------------------------

/**
 * +CC then groups split by one space, dash or dot; a group may sit in parentheses. The
 * separator is mandatory between groups so a digit run has exactly one parse.
 */
const E164 = /^\+[1-9]\d*(?:(?:[ .-]|[ ]?\(\d{1,4}\)[ ]?)\d+)*$/;
/** `00` + country code, then a separator: `0049 30 123456`, `001 415 555 2671`. */
const INTERNATIONAL_PREFIX = /^00(?:[17]|[2-9]\d{1,2})[ .-]/;
/** North American: (415) 555-2671, 415-555-2671, 415.555.2671, 1 415 555 2671. */
const NANP = /^(?:1([ .-]))?(?:\([2-9]\d{2}\) ?[2-9]\d{2}[ .-]|[2-9]\d{2}([ .-])[2-9]\d{2}\2)\d{4}$/;
/**
 * Trunk-prefixed national numbers: 020 7946 0958, 06 12 34 56 78, 03-1234-5678, (03) 9123 4567,
 * and the German 030/12345678.
 */
const TRUNK =
  /^(?:0[1-9]\d{0,3}([ .-])\d{2,8}(?:\1\d{2,8}){0,4}|\(0[1-9]\d{0,3}\) ?\d{2,8}(?:[ -]\d{2,8}){0,3}|0[1-9]\d{0,3}\/\d{3,8}(?:[ -]\d{2,8}){0,3})$/;

/**
 * Phone numbers in the forms people write them: E.164 with or without separators (or with
 * `00` for the `+`, then with separators), and common national forms that carry
 * separators, in any script's digits (`＋４４ ２０ ７９４６ ０９５８`, `٠٢٠ ٧٩٤٦ ٠٩٥٨`). Bare national digit strings are left alone
 * because they are indistinguishable from ids, amounts and timestamps.
 *
 * @example
 * ```ts
 * import { isPhoneNumber } from "@sessionvault/tokenize/detect";
 *
 * isPhoneNumber("+44 20 7946 0958"); // true
 * isPhoneNumber("(415) 555-2671"); // true
 * isPhoneNumber("2024-01-15"); // false
 * ```
 */
export function isPhoneNumber(candidate: string): boolean {
  return phoneShaped(foldText(candidate));
}

/** The 3-7-7 of marketplace order numbers (`112-4829301-1234567`), which no phone plan uses. */
const ORDER_3_7_7 = /^\d{3}-\d{7}-\d{7}$/;

function phoneShaped(candidate: string): boolean {
  const digits = countDigits(candidate);
  if (digits === 17 && ORDER_3_7_7.test(candidate)) return false;
  if (candidate.startsWith("+")) return digits >= 7 && digits <= 15 && E164.test(candidate);
  // `00` is the international prefix outside North America; bare, it is just an id.
  // The country code after it is 1, 7 or two to three digits, as its own group.
  if (INTERNATIONAL_PREFIX.test(candidate)) return phoneShaped(`+${candidate.slice(2)}`);
  if (digits === 10 || digits === 11) {
    if (NANP.test(candidate)) return true;
  }
  return digits >= 9 && digits <= 12 && TRUNK.test(candidate);
}

// Cards ---------------------------------------------------------------------------------

/**
 * 12–19 digits, bare or in the groupings printed on cards: fours (4-4-4-4, 4-4-4-4-3, …)
 * or the 4-6-5 / 4-6-4 of American Express and Diners, with one kind of separator (space,
 * dash, dot, underscore, slash, or a dash between spaces). Arbitrary groupings are refused
 * so that adjacent numbers in prose do not add up to one.
 */
const CARD_SHAPE =
  /^(?:\d{12,19}|\d{4}( [-./_] |[ ./_-])\d{4}\1\d{4}(?:\1\d{1,4}(?:\1\d{1,3})?)?|\d{4}( [-./_] |[ ./_-])\d{6}\2\d{4,5})$/;
const CARD_SEPARATORS = /[ ./_-]/g;

/**
 * A card number: the right shape, a known issuer (IIN) range for its length, and a valid
 * Luhn check digit. The issuer check keeps ordinary 12–19 digit ids (snowflakes, micro-
 * and nanosecond timestamps, order numbers starting with 1 or 0) from matching.
 *
 * @example
 * ```ts
 * import { isCardNumber } from "@sessionvault/tokenize/detect";
 *
 * isCardNumber("4242 4242 4242 4242"); // true
 * isCardNumber("1700000000000123"); // false: no issuer starts with 1
 * ```
 */
export function isCardNumber(candidate: string): boolean {
  return isCardShaped(foldText(candidate));
}

function isCardShaped(candidate: string): boolean {
  if (!CARD_SHAPE.test(candidate)) return false;
  const digits = candidate.replace(CARD_SEPARATORS, "");
  return digits.length >= 12 && digits.length <= 19 && hasKnownIssuer(digits) && luhnValid(digits);
}

/**
 * Luhn (mod 10) check over a string of digits.
 *
 * @example
 * ```ts
 * import { luhnValid } from "@sessionvault/tokenize/detect";
 *
 * luhnValid("79927398713"); // true
 * luhnValid("79927398710"); // false
 * ```
 */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/** [low, high] prefix range (same number of digits), allowed lengths. */
type IssuerRange = readonly [low: number, high: number, minLength: number, maxLength: number];

// Visa's legacy 13-digit numbers are left out: they are no longer issued and collide
// with millisecond timestamps.
const ISSUERS: readonly IssuerRange[] = [
  [4, 4, 16, 19], // Visa
  [51, 55, 16, 16], // Mastercard
  [2221, 2720, 16, 16], // Mastercard 2-series
  [34, 34, 15, 15], // American Express
  [37, 37, 15, 15],
  [300, 305, 14, 19], // Diners Club
  [3095, 3095, 14, 19],
  [36, 36, 14, 19],
  [38, 39, 16, 19],
  [3528, 3589, 16, 19], // JCB
  [6011, 6011, 16, 19], // Discover
  [644, 649, 16, 19],
  [65, 65, 16, 19],
  [62, 62, 16, 19], // UnionPay
  [81, 82, 16, 19], // UnionPay / RuPay
  [60, 60, 16, 19], // RuPay
  [508, 508, 16, 16],
  // Maestro starts at 13 digits: 12-digit ones are rare and collide with millisecond
  // timestamps from the 1980s and 1990s.
  [50, 50, 13, 19], // Maestro
  [56, 58, 13, 19],
  [6304, 6304, 13, 19],
  [639, 639, 13, 19],
  [67, 67, 13, 19],
  [636, 636, 16, 19], // InterPayment
  [637, 638, 16, 16], // InstaPayment
  [2200, 2204, 16, 19], // Mir
  [9792, 9792, 16, 16], // Troy
];

function hasKnownIssuer(digits: string): boolean {
  for (const [low, high, minLength, maxLength] of ISSUERS) {
    if (digits.length < minLength || digits.length > maxLength) continue;
    const prefix = Number(digits.slice(0, String(low).length));
    if (prefix >= low && prefix <= high) return true;
  }
  return false;
}

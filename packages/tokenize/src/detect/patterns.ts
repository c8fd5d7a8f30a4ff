// Recognisers for single strings. Kept free of any Node or vault import so the detector
// runs in edge runtimes (Next.js middleware) and in the browser.

/**
 * The end of a local part: dot-atom (RFC 5322 atext, no doubled dot) right before the `@`.
 * A suffix is enough, as in prose (`mail:ada@example.com`).
 */
const LOCAL_PART_END = /[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
/**
 * Domain after the `@`: LDH labels and an alphabetic TLD of 2–63 chars (or an IDNA `xn--`
 * one), which keeps `user@host`, `pkg@1.2.3` and `git@server:repo` style strings out.
 */
const DOMAIN =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+(?:[A-Za-z]{2,63}|xn--[A-Za-z0-9-]{2,59})(?![A-Za-z0-9-])/;
// RFC 5321 limits: 64 characters before the `@`, 255 after.
const MAX_LOCAL = 64;
const MAX_DOMAIN = 255;

/**
 * True when the string contains something shaped like an email address. Each `@` is
 * checked on a bounded window around it, so the cost stays linear on hostile input
 * (a plain regex over the whole string is quadratic on long runs of local-part characters).
 */
export function hasEmail(text: string): boolean {
  for (let at = text.indexOf("@"); at !== -1; at = text.indexOf("@", at + 1)) {
    if (!LOCAL_PART_END.test(text.slice(Math.max(0, at - MAX_LOCAL), at))) continue;
    if (DOMAIN.test(text.slice(at + 1, at + 1 + MAX_DOMAIN))) return true;
  }
  return false;
}

// A run of digits joined by the separators phone and card numbers use. Each repetition
// consumes a digit, so matching stays linear.
const DIGIT_RUN = /[+(]?\d(?:[ \t\u00a0().-]*\d)*/g;
const WORDISH = /[\p{L}\p{N}_]/u;
const INNER_SPACE = /[ \t\u00a0]+/;

/** The longest phone or card number candidate spans this many whitespace-separated chunks. */
const MAX_CHUNKS = 7;

export interface DigitFindings {
  phone: boolean;
  card: boolean;
}

/** Scans free text for phone numbers and card numbers. */
export function scanDigits(text: string): DigitFindings {
  const found: DigitFindings = { phone: false, card: false };
  if (longestDigitRun(text) < 7) return found;
  DIGIT_RUN.lastIndex = 0;
  for (let m = DIGIT_RUN.exec(text); m !== null; m = DIGIT_RUN.exec(text)) {
    const run = m[0];
    if (countDigits(run) < 7) continue;
    const start = m.index;
    const end = start + run.length;
    const chunks = run.split(INNER_SPACE);
    // A run glued to a word, a path, a version suffix or a UUID segment is part of an
    // identifier, not a number someone typed: drop the chunk that touches that edge.
    let first = 0;
    let last = chunks.length;
    if (gluedBefore(text, start)) first = 1;
    if (gluedAfter(text, end)) last -= 1;
    for (let i = first; i < last && !(found.phone && found.card); i++) {
      for (let j = Math.min(last, i + MAX_CHUNKS); j > i; j--) {
        let candidate = chunks.slice(i, j).join(" ");
        // An opening parenthesis of the prose around it, not an area code's.
        if (candidate.startsWith("(") && !/^\(\d{1,5}\)/.test(candidate)) candidate = candidate.slice(1);
        if (!found.card && isCardNumber(candidate)) {
          found.card = true;
          break;
        }
        if (!found.phone && isPhoneNumber(candidate)) {
          found.phone = true;
          break;
        }
      }
    }
    if (found.phone && found.card) break;
  }
  return found;
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
    } else if (c !== 32 && c !== 9 && c !== 0xa0 && c !== 40 && c !== 41 && c !== 46 && c !== 45 && c !== 43) {
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
  return WORDISH.test(prev) || prev === "-" || prev === "." || prev === "/" || prev === "+" || prev === "#";
}

function gluedAfter(text: string, end: number): boolean {
  const next = text[end];
  if (next === undefined) return false;
  if (WORDISH.test(next) || next === "/") return true;
  if (next === "-" || next === "." || next === ":") {
    const after = text[end + 1];
    return after !== undefined && WORDISH.test(after);
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
/** North American: (415) 555-2671, 415-555-2671, 415.555.2671, 1 415 555 2671. */
const NANP = /^(?:1([ .-]))?(?:\([2-9]\d{2}\) ?[2-9]\d{2}[ .-]|[2-9]\d{2}([ .-])[2-9]\d{2}\2)\d{4}$/;
/** Trunk-prefixed national numbers: 020 7946 0958, 06 12 34 56 78, 03-1234-5678, (03) 9123 4567. */
const TRUNK = /^(?:0[1-9]\d{0,3}([ .-])\d{2,8}(?:\1\d{2,8}){0,4}|\(0[1-9]\d{0,3}\) ?\d{2,8}(?:[ -]\d{2,8}){0,3})$/;

/**
 * Phone numbers in the forms people write them: E.164 with or without separators (or with
 * `00` for the `+`, then with separators), and
 * common national forms that carry separators. Bare national digit strings are left alone
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
  const digits = countDigits(candidate);
  if (candidate.startsWith("+")) return digits >= 7 && digits <= 15 && E164.test(candidate);
  // `00` is the international prefix outside North America; bare, it is just an id.
  if (candidate.startsWith("00") && /[ .-]/.test(candidate)) return isPhoneNumber(`+${candidate.slice(2)}`);
  if (digits === 10 || digits === 11) {
    if (NANP.test(candidate)) return true;
  }
  return digits >= 9 && digits <= 12 && TRUNK.test(candidate);
}

// Cards ---------------------------------------------------------------------------------

/**
 * 12–19 digits, bare or in the groupings printed on cards: fours (4-4-4-4, 4-4-4-4-3, …)
 * or the 4-6-5 / 4-6-4 of American Express and Diners, with one kind of separator.
 * Arbitrary groupings are refused so that adjacent numbers in prose do not add up to one.
 */
const CARD_SHAPE = /^(?:\d{12,19}|\d{4}([ -])\d{4}\1\d{4}(?:\1\d{1,4}(?:\1\d{1,3})?)?|\d{4}([ -])\d{6}\2\d{4,5})$/;

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
  if (!CARD_SHAPE.test(candidate)) return false;
  const digits = candidate.replace(/[ -]/g, "");
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

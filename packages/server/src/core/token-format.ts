import { randomInt } from "node:crypto";

/** 12–19 digits passing the Luhn check. */
export function isCardNumber(value: string): boolean {
  return /^[0-9]{12,19}$/.test(value) && luhnSum(value) % 10 === 0;
}

function luhnSum(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum;
}

/**
 * A random Luhn-valid number of the same length that keeps the last four digits. The
 * digit just before them (never doubled by Luhn) is solved for to make the sum work.
 */
export function cardTokenBase(card: string): string {
  const last4 = card.slice(-4);
  const free = card.length - 5;
  for (;;) {
    let head = String(randomInt(1, 10));
    for (let i = 1; i < free; i++) head += String(randomInt(0, 10));
    const partial = `${head}0${last4}`;
    const fix = (10 - (luhnSum(partial) % 10)) % 10;
    const candidate = `${head}${fix}${last4}`;
    if (candidate !== card) return candidate;
  }
}

/**
 * The random bits of a card's token base: the first digit (1–9) and every digit but the
 * kept last four and the solved check digit are random. 12 digits: 23.1 bits.
 */
export function cardTokenBits(length: number): number {
  return Math.log2(9) + (length - 6) * Math.log2(10);
}

const LOWER = "abcdefghijklmnopqrstuvwxyz";
const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const BASE64URL = `${UPPER}${LOWER}0123456789-_`;

/**
 * The separators a format-preserving base keeps where the value has them: they give a
 * value its shape (an email's `@` and `.`, a phone's `+`, `(`, `)`, `-` and spaces) and
 * say nothing about whose value it is. Every other character is replaced.
 */
export const KEPT_SEPARATORS = " -/.@+(),";

/** Fewer random bits than this in a format-preserving base: a base64url base instead. */
export const MIN_FORMAT_BITS = 64;

const DIGIT = /^\p{N}$/u;
const UPPER_CASE = /^[\p{Lu}\p{Lt}]$/u;
const WHITE_SPACE = /^\p{White_Space}$/u;

type Slot = "digit" | "upper" | "lower" | { keep: string };

/**
 * What a position of the base keeps of the value's character there: a kept separator
 * (any white space becomes a plain space), or only its class. Digits of every script
 * (full-width, Arabic-Indic, ...) are digits; letters of every script, combining marks,
 * symbols, emoji, other punctuation, control characters and lone surrogates are letters,
 * upper case only for an upper-case letter. No script survives: every letter becomes a
 * random ASCII letter, every digit a random ASCII digit.
 */
function slotOf(ch: string): Slot {
  if (KEPT_SEPARATORS.includes(ch)) return { keep: ch };
  if (WHITE_SPACE.test(ch)) return { keep: " " };
  if (DIGIT.test(ch)) return "digit";
  if (UPPER_CASE.test(ch)) return "upper";
  return "lower";
}

/** The random bits of the format-preserving base of `record` (before the 64-bit rule). */
export function formatBits(record: string): number {
  return bitsOf(Array.from(record, slotOf));
}

function bitsOf(slots: Slot[]): number {
  let bits = 0;
  for (const slot of slots) {
    if (slot === "digit") bits += Math.log2(10);
    else if (typeof slot === "string") bits += Math.log2(26);
  }
  return bits;
}

function randomBase64url(): string {
  let out = "";
  for (let i = 0; i < 22; i++) out += BASE64URL[randomInt(0, 64)];
  return out;
}

/**
 * One output character per character (code point) of the value: kept separators stay,
 * digits become random ASCII digits and everything else random ASCII letters (see
 * `slotOf`), when that leaves at least 64 random bits; else a 22-character base64url
 * string (132 random bits). Never the value itself, and never a character of it that
 * carries information.
 */
export function genericTokenBase(record: string): string {
  const slots = Array.from(record, slotOf);
  if (bitsOf(slots) < MIN_FORMAT_BITS) return randomBase64url();
  for (;;) {
    let out = "";
    for (const slot of slots) {
      if (slot === "digit") out += String(randomInt(0, 10));
      else if (slot === "lower") out += LOWER[randomInt(0, 26)];
      else if (slot === "upper") out += UPPER[randomInt(0, 26)];
      else out += slot.keep;
    }
    if (out !== record) return out;
  }
}

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

const LOWER = "abcdefghijklmnopqrstuvwxyz";
const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const BASE64URL = `${UPPER}${LOWER}0123456789-_`;

/**
 * Same length and character classes (digits, lower, upper; other characters kept) when
 * that leaves at least 64 random bits, else a 22-character base64url string.
 */
export function genericTokenBase(record: string): string {
  let bits = 0;
  for (const ch of record) {
    if (ch >= "0" && ch <= "9") bits += 3.32;
    else if ((ch >= "a" && ch <= "z") || (ch >= "A" && ch <= "Z")) bits += 4.7;
  }
  if (bits < 64) {
    let out = "";
    for (let i = 0; i < 22; i++) out += BASE64URL[randomInt(0, 64)];
    return out;
  }
  let out = "";
  for (const ch of record) {
    if (ch >= "0" && ch <= "9") out += String(randomInt(0, 10));
    else if (ch >= "a" && ch <= "z") out += LOWER[randomInt(0, 26)];
    else if (ch >= "A" && ch <= "Z") out += UPPER[randomInt(0, 26)];
    else out += ch;
  }
  return out === record ? genericTokenBase(record) : out;
}

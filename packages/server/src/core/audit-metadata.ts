/**
 * Turns a request's `request_metadata` into what the audit log may keep: small, no
 * secrets, nothing that looks like personal data. Anything doubtful is dropped, never
 * masked or truncated (a cut string can still hold the start of an email or a number),
 * and the number of dropped values is recorded as `_redacted`.
 */

/** Deepest nesting kept: `{ a: { b: { c: 1 } } }` is three levels. */
const MAX_DEPTH = 3;
/** Values (leaves, objects, arrays) kept in all. */
const MAX_VALUES = 64;
const MAX_ARRAY_ITEMS = 16;
const MAX_KEY_LENGTH = 64;
const MAX_STRING_LENGTH = 256;
/** Upper bound of the kept metadata as JSON text, in characters. */
export const MAX_AUDIT_METADATA_CHARS = 2048;

/** Keys whose values are secrets or identify a person or a session, whatever they hold. */
const SECRET_KEY =
  /pass(?:word|wd|phrase)?|secret|token|auth|cookie|session|sid$|api[-_]?key|credential|private|signature|otp|pin$|ssn|card|iban|cvc|cvv|email|phone|mobile|address|^ip$|ip[-_]?addr/i;
// Broader than any real address (every RFC 5322 local part, any dotted host): erring wide is the point.
const EMAIL = /[^\s@]@[^\s@.]+\.[^\s@]/;
// A run of digits joined by the separators phone and card numbers use.
const DIGIT_RUN = /[+(]?\d(?:[ ().-]*\d)*/g;
const IDENTIFIER_CHAR = /[\p{L}_]/u;
const IPV4 = /(?:^|[^\d.])\d{1,3}(?:\.\d{1,3}){3}(?:$|[^\d.])/;
// Eight groups, or fewer around a `::`; dropping a string with a `::` in it is the safe side.
const IPV6 = /(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}|[0-9A-Fa-f]{1,4}::|::[0-9A-Fa-f]{1,4}/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it looks for
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * True when a string looks like it could be personal data: an email address, a phone,
 * card or other long number that stands on its own (not glued to letters, as in a UUID
 * or an order id like `ord_20261122`), or an IP address.
 */
export function looksLikePII(text: string): boolean {
  if (text.includes("@") && EMAIL.test(text)) return true;
  if (IPV4.test(text)) return true;
  if (text.includes(":") && IPV6.test(text)) return true;
  DIGIT_RUN.lastIndex = 0;
  for (let m = DIGIT_RUN.exec(text); m !== null; m = DIGIT_RUN.exec(text)) {
    const run = m[0];
    if (run.replace(/\D/g, "").length < 7) continue;
    const before = text[m.index - 1];
    const after = text[m.index + run.length];
    const glued =
      (before !== undefined && IDENTIFIER_CHAR.test(before)) || (after !== undefined && IDENTIFIER_CHAR.test(after));
    if (!glued) return true;
  }
  return false;
}

/**
 * The audit-safe copy of `request_metadata`, or undefined when nothing is left to keep.
 *
 * @example
 * ```ts
 * scrubAuditMetadata({ requestId: "req_7f3a", route: "/login", email: "ada@example.com" });
 * // { requestId: "req_7f3a", route: "/login", _redacted: 1 }
 * ```
 */
export function scrubAuditMetadata(input: unknown): Record<string, unknown> | undefined {
  if (typeof input !== "object" || input === null || Array.isArray(input)) return undefined;
  let values = 0;
  let redacted = 0;
  let budget = MAX_AUDIT_METADATA_CHARS - 32; // room for the braces and `_redacted`

  const leaf = (value: unknown): { keep: boolean; value?: unknown } => {
    if (value === null || typeof value === "boolean") return { keep: true, value };
    if (typeof value === "number") {
      return Number.isFinite(value) && !looksLikePII(String(value)) ? { keep: true, value } : { keep: false };
    }
    if (typeof value === "string") {
      const ok = value.length <= MAX_STRING_LENGTH && !CONTROL.test(value) && !looksLikePII(value);
      return ok ? { keep: true, value } : { keep: false };
    }
    return { keep: false };
  };

  const visit = (value: unknown, depth: number): { keep: boolean; value?: unknown } => {
    if (values >= MAX_VALUES) return { keep: false };
    if (typeof value === "object" && value !== null) {
      if (depth >= MAX_DEPTH || budget < 2) return { keep: false };
      values++;
      budget -= 2;
      if (Array.isArray(value)) {
        const out: unknown[] = [];
        for (const [index, item] of value.entries()) {
          if (index >= MAX_ARRAY_ITEMS) {
            redacted += value.length - index;
            break;
          }
          const kept = visit(item, depth + 1);
          if (kept.keep) out.push(kept.value);
          else redacted++;
        }
        return { keep: true, value: out };
      }
      return { keep: true, value: object(value as Record<string, unknown>, depth + 1) };
    }
    const kept = leaf(value);
    if (!kept.keep) return kept;
    const size = JSON.stringify(kept.value).length + 1;
    if (size > budget) return { keep: false };
    budget -= size;
    values++;
    return kept;
  };

  const object = (source: Record<string, unknown>, depth: number): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(source)) {
      const keyCost = JSON.stringify(key).length + 1;
      if (
        key === "_redacted" ||
        key.length > MAX_KEY_LENGTH ||
        CONTROL.test(key) ||
        SECRET_KEY.test(key) ||
        looksLikePII(key) ||
        keyCost > budget
      ) {
        redacted++;
        continue;
      }
      const kept = visit(value, depth);
      if (!kept.keep) {
        redacted++;
        continue;
      }
      budget -= keyCost;
      // A data property, so a "__proto__" key stays an ordinary key.
      Object.defineProperty(out, key, { value: kept.value, enumerable: true, writable: true, configurable: true });
    }
    return out;
  };

  const scrubbed = object(input as Record<string, unknown>, 1);
  if (redacted > 0) scrubbed._redacted = redacted;
  return Object.keys(scrubbed).length > 0 ? scrubbed : undefined;
}

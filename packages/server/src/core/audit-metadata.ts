/**
 * Turns a request's `request_metadata` into what the audit log may keep. It is an
 * allow-list: only the fields below, each with a known shape, are kept, and each value
 * is checked against that shape (and {@link looksLikePII} as a last net). Every other
 * field, and every value of a listed field with another shape, is dropped, never masked
 * or cut, and the number of dropped values is recorded as `_redacted`.
 *
 * | field (aliases)                       | kept when it is                                   | stored as              |
 * | ------------------------------------- | ------------------------------------------------- | ---------------------- |
 * | `requestId` (`request_id`)            | a UUID, a ULID, 16/32/64 hex digits, or `req_7f3a9c`-like (letters, `_`/`-`, 4-48 letters and digits, no run of 7 digits) | as sent |
 * | `traceId` (`trace_id`, `traceparent`) | a W3C `traceparent` or 32 hex digits              | as sent                |
 * | `method`                              | an HTTP method                                    | upper case             |
 * | `route` (`path`)                      | a path template: `/`-separated lower-case words, `:param`, `{param}` or `*`, no query | as sent |
 * | `status`                              | an integer from 100 to 599                        | as sent                |
 * | `userAgent` (`user_agent`)            | starts with a `product/version` token             | its first four `product/version` tokens, versions cut to `major.minor` (comments and the rest dropped) |
 * | `ip` (`clientIp`, `client_ip`)        | an IPv4 or IPv6 address                           | its network: `/24` or `/64` |
 */

import { clientNetwork } from "./client-network.js";

/** Upper bound of the kept metadata as JSON text, in characters. */
export const MAX_AUDIT_METADATA_CHARS = 2048;

// Broader than any real address (every RFC 5322 local part, any dotted host): erring wide is the point.
const EMAIL = /[^\s@]@[^\s@.]+\.[^\s@]/;
// A run of digits joined by the separators phone and card numbers use.
const DIGIT_RUN = /[+(]?\d(?:[ ().-]*\d)*/g;
const IDENTIFIER_CHAR = /[\p{L}_]/u;
const IPV4 = /(?:^|[^\d.])\d{1,3}(?:\.\d{1,3}){3}(?:$|[^\d.])/;
// Eight groups, or fewer around a `::`; dropping a string with a `::` in it is the safe side.
const IPV6 = /(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}|[0-9A-Fa-f]{1,4}::|::[0-9A-Fa-f]{1,4}/;

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

const MAX_ROUTE_LENGTH = 256;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ULID = /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/;
const HEX_ID = /^(?:[0-9a-f]{16}|[0-9a-f]{32}|[0-9a-f]{64})$/i;
const PREFIXED_ID = /^[A-Za-z]{1,16}[_-][A-Za-z0-9]{4,48}$/;
const DIGITS_7 = /\d{7}/;
const TRACEPARENT = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;
const TRACE_ID = /^[0-9a-f]{32}$/;
const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT"]);
const ROUTE_SEGMENT = /^(?:[a-z][a-z0-9_.-]{0,63}|:[A-Za-z_][A-Za-z0-9_]{0,31}|\{[A-Za-z_][A-Za-z0-9_]{0,31}\}|\*)$/;
// A product and its version cut to major.minor: at most six digits, never a phone or card number.
const UA_PRODUCT = /([A-Za-z][A-Za-z0-9.-]{0,31})\/(\d{1,4}(?:\.\d{1,2})?)(?:\.\d+)*(?=$|[\s;()])/g;
const UA_START = /^[A-Za-z][A-Za-z0-9.-]{0,31}\/\d/;
const UA_MAX_TOKENS = 4;

/** Hex with at least one letter: a string of decimal digits only is a number, not an id. */
const hasHexLetter = (text: string) => /[a-f]/i.test(text);

/** A value the shape accepts (possibly normalised), or undefined to drop it. */
type Shape = (value: unknown) => string | number | undefined;

const requestId: Shape = (v) => {
  if (typeof v !== "string" || v.length > 64) return undefined;
  if (UUID.test(v)) return v;
  if (ULID.test(v) && !DIGITS_7.test(v)) return v;
  if (HEX_ID.test(v) && hasHexLetter(v) && !DIGITS_7.test(v)) return v;
  if (PREFIXED_ID.test(v) && !DIGITS_7.test(v)) return v;
  return undefined;
};

const traceId: Shape = (v) =>
  typeof v === "string" && (TRACEPARENT.test(v) || (TRACE_ID.test(v) && hasHexLetter(v))) ? v : undefined;

const method: Shape = (v) => {
  if (typeof v !== "string" || v.length > 7) return undefined;
  const upper = v.toUpperCase();
  return METHODS.has(upper) ? upper : undefined;
};

const route: Shape = (v) => {
  if (typeof v !== "string" || v.length > MAX_ROUTE_LENGTH || !v.startsWith("/")) return undefined;
  if (v === "/") return v;
  const segments = v.slice(1).split("/");
  // A trailing slash leaves one empty segment; any other empty one is a `//`.
  if (segments.at(-1) === "") segments.pop();
  return segments.every((segment) => ROUTE_SEGMENT.test(segment)) ? v : undefined;
};

const status: Shape = (v) =>
  Number.isInteger(v) && (v as number) >= 100 && (v as number) <= 599 ? (v as number) : undefined;

const userAgent: Shape = (v) => {
  if (typeof v !== "string" || v.length > 1024 || !UA_START.test(v)) return undefined;
  const tokens: string[] = [];
  for (const m of v.matchAll(UA_PRODUCT)) {
    // Only tokens that stand on their own: a name glued to what came before is not a product.
    const before = v[m.index - 1];
    if (before !== undefined && !/\s/.test(before)) continue;
    tokens.push(`${m[1]}/${m[2]}`);
    if (tokens.length === UA_MAX_TOKENS) break;
  }
  return tokens.length > 0 ? tokens.join(" ") : undefined;
};

const ip: Shape = (v) => (typeof v === "string" ? (clientNetwork(v) ?? undefined) : undefined);

/** The last net: a value whose shape passed but still reads like personal data goes too. */
const screened =
  (shape: Shape): Shape =>
  (v) => {
    const accepted = shape(v);
    return typeof accepted === "string" && looksLikePII(accepted) ? undefined : accepted;
  };

/** The allow-list: each kept field and the shape its value must have. */
const FIELDS: ReadonlyMap<string, Shape> = new Map([
  ...["requestId", "request_id"].map((k) => [k, screened(requestId)] as const),
  ...["traceId", "trace_id", "traceparent"].map((k) => [k, screened(traceId)] as const),
  ["method", method],
  ...["route", "path"].map((k) => [k, screened(route)] as const),
  ["status", status],
  ...["userAgent", "user_agent"].map((k) => [k, screened(userAgent)] as const),
  // Stored as its network (`198.51.100.0/24`), which the last net would take for an address.
  ...["ip", "clientIp", "client_ip"].map((k) => [k, ip] as const),
]);

/** The metadata fields the audit log keeps (see the table above); every other one is dropped. */
export const AUDIT_METADATA_FIELDS: readonly string[] = [...FIELDS.keys()];

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
  const out: Record<string, unknown> = {};
  let redacted = 0;
  let kept = 0;
  for (const [key, value] of Object.entries(input as Record<string, unknown>)) {
    const accepted = FIELDS.get(key)?.(value);
    if (accepted === undefined) {
      redacted++;
      continue;
    }
    // A data property, so no key can reach the prototype (only listed keys get here anyway).
    Object.defineProperty(out, key, { value: accepted, enumerable: true, writable: true, configurable: true });
    kept++;
  }
  if (redacted > 0) out._redacted = redacted;
  return kept > 0 || redacted > 0 ? out : undefined;
}

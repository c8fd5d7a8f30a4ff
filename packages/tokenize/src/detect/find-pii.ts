import { foldText, hasEmail, isCardNumber, isEncoded, keyContext, readings, scanDigits } from "./patterns.js";

/**
 * The kinds of personal data the detector recognises.
 *
 * @example
 * ```ts
 * const kinds: PIIKind[] = findPII(session).map((finding) => finding.kind);
 * ```
 */
export type PIIKind = "email" | "phone" | "card";

/**
 * One place in a payload that holds personal data. Never carries the value itself.
 *
 * @example
 * ```ts
 * const finding: PIIFinding = { path: "user.contacts[1].email", kind: "email" };
 * ```
 */
export interface PIIFinding {
  /** JSON-path-like location, e.g. `user.contacts[1].email`; `$` for the root value. */
  path: string;
  kind: PIIKind;
}

/**
 * Bounds that keep a scan cheap on hostile or accidental huge payloads.
 *
 * @example
 * ```ts
 * const options: FindPIIOptions = { maxDepth: 16, maxNodes: 10_000 };
 * ```
 */
export interface FindPIIOptions {
  /** Deepest nesting level inspected. Default 64. */
  maxDepth?: number;
  /** Most values (objects, arrays and leaves) inspected. Default 100 000. */
  maxNodes?: number;
}

/**
 * The outcome of a scan, with whether a bound cut it short.
 *
 * @example
 * ```ts
 * const { findings, truncated }: PIIScan = scanPII(session);
 * ```
 */
export interface PIIScan {
  findings: PIIFinding[];
  /** True when `maxDepth` or `maxNodes` stopped the walk before it saw everything. */
  truncated: boolean;
}

const DEFAULT_MAX_DEPTH = 64;
const DEFAULT_MAX_NODES = 100_000;
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
// A key that is itself personal data must not end up in a path that is logged.
const REDACTED_KEY = "[<redacted>]";

/**
 * Finds emails, phone numbers and card numbers anywhere in a value: nested objects,
 * arrays, Maps, Sets, object keys and free text. Returns one finding per path and kind,
 * never the values themselves. Cycle-safe and bounded (see {@link FindPIIOptions}).
 *
 * @example
 * ```ts
 * import { findPII } from "@sessionvault/tokenize/detect";
 *
 * findPII({ user: { contacts: [{ note: "hi" }, { email: "ada@example.com" }] } });
 * // [{ path: "user.contacts[1].email", kind: "email" }]
 * ```
 */
export function findPII(data: unknown, options?: FindPIIOptions): PIIFinding[] {
  return scanPII(data, options).findings;
}

/**
 * Like {@link findPII}, and also reports whether a bound stopped the walk early, for
 * callers (strict modes) that must not treat an unfinished scan as a clean one.
 *
 * @example
 * ```ts
 * import { scanPII } from "@sessionvault/tokenize/detect";
 *
 * const { findings, truncated } = scanPII({ phone: "+44 20 7946 0958" }, { maxDepth: 8 });
 * // findings: [{ path: "phone", kind: "phone" }], truncated: false
 * ```
 */
export function scanPII(data: unknown, options: FindPIIOptions = {}): PIIScan {
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  const maxNodes = options.maxNodes ?? DEFAULT_MAX_NODES;
  const findings: PIIFinding[] = [];
  const ancestors = new Set<object>();
  let nodes = 0;
  let truncated = false;

  const report = (path: string, kinds: readonly PIIKind[]) => {
    for (const kind of kinds) findings.push({ path: path === "" ? "$" : path, kind });
  };

  // `key` is the nearest object key above a leaf (an array's elements share their array's
  // key): a bare digit string under `orderId` is an id, under `card` a card.
  const visit = (value: unknown, path: string, depth: number, key?: string): void => {
    if (nodes >= maxNodes) {
      truncated = true;
      return;
    }
    nodes++;
    switch (typeof value) {
      case "string":
        report(path, kindsInText(value, key));
        return;
      case "number":
        if (Number.isSafeInteger(value) && value >= 1e11 && isCardNumber(String(value)) && !underIdKey(key)) {
          report(path, ["card"]);
        }
        return;
      case "bigint":
        if (value >= 100_000_000_000n && isCardNumber(value.toString()) && !underIdKey(key)) report(path, ["card"]);
        return;
      case "object":
        break;
      default:
        return;
    }
    if (value === null || ancestors.has(value)) return;
    if (depth >= maxDepth) {
      truncated = true;
      return;
    }
    if (value instanceof Date || ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return;
    ancestors.add(value);
    try {
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) visit(value[i], `${path}[${i}]`, depth + 1, key);
      } else if (value instanceof Map) {
        for (const [key, child] of value) visitEntry(key, child, path, depth);
      } else if (value instanceof Set) {
        let i = 0;
        for (const child of value) visit(child, `${path}[${i++}]`, depth + 1, key);
      } else {
        for (const key of Object.keys(value)) visitEntry(key, (value as Record<string, unknown>)[key], path, depth);
      }
    } finally {
      // Only the current branch counts as a cycle: the same object reached twice through
      // siblings is scanned twice, so every path that holds PII is reported.
      ancestors.delete(value);
    }
  };

  const visitEntry = (key: unknown, child: unknown, path: string, depth: number) => {
    let childPath: string;
    if (typeof key === "string") {
      const keyKinds = kindsInText(key);
      if (keyKinds.length > 0) {
        childPath = `${path}${REDACTED_KEY}`;
        report(childPath, keyKinds);
      } else {
        childPath = joinKey(path, key);
      }
    } else if (typeof key === "number") {
      childPath = `${path}[${key}]`;
    } else {
      childPath = `${path}[?]`;
    }
    visit(child, childPath, depth + 1, typeof key === "string" ? key : undefined);
  };

  visit(data, "", 0);
  return { findings: dedupe(findings), truncated };
}

const NONE: readonly PIIKind[] = [];

function kindsInText(text: string, key?: string): readonly PIIKind[] {
  const folded = foldText(text);
  let email = folded.includes("@") && hasEmail(folded);
  let { phone, groupedCard, bareCard } = scanDigits(folded);
  if (isEncoded(folded)) {
    for (const reading of readings(folded).slice(1)) {
      email ||= reading.includes("@") && hasEmail(reading);
      const digits = scanDigits(reading);
      phone ||= digits.phone;
      groupedCard ||= digits.groupedCard;
      bareCard ||= digits.bareCard;
    }
  }
  const card = groupedCard || (bareCard && !underIdKey(key));
  if (!email && !phone && !card) return NONE;
  const kinds: PIIKind[] = [];
  if (email) kinds.push("email");
  if (phone) kinds.push("phone");
  if (card) kinds.push("card");
  return kinds;
}

function underIdKey(key: string | undefined): boolean {
  return key !== undefined && keyContext(key) === "id";
}

function joinKey(path: string, key: string): string {
  if (IDENTIFIER.test(key)) return path === "" ? key : `${path}.${key}`;
  return `${path}[${JSON.stringify(key)}]`;
}

function dedupe(findings: PIIFinding[]): PIIFinding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const id = `${f.kind}\u0000${f.path}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

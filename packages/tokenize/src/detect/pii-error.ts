import { type FindPIIOptions, type PIIFinding, scanPII } from "./find-pii.js";

/**
 * Codes carried by {@link PIIError}.
 *
 * @example
 * ```ts
 * if (isPIIError(error) && error.code === PIIErrorCode.detected) console.error(error.findings);
 * ```
 */
export const PIIErrorCode = {
  /** Recognisable personal data was found. */
  detected: "PII_DETECTED",
  /** The payload was too deep or too large to be scanned completely. */
  scanLimit: "PII_SCAN_LIMIT",
} as const;

/**
 * One of the {@link PIIErrorCode} values.
 *
 * @example
 * ```ts
 * const code: PIIErrorCode = "PII_SCAN_LIMIT";
 * ```
 */
export type PIIErrorCode = (typeof PIIErrorCode)[keyof typeof PIIErrorCode];

const BRAND = Symbol.for("@sessionvault/tokenize/PIIError");

/**
 * Thrown by {@link assertNoPII} (and by adapters' strict mode). Names the paths and kinds
 * of personal data found, never the values, so it is safe to log.
 *
 * @example
 * ```ts
 * import { assertNoPII, isPIIError } from "@sessionvault/tokenize/detect";
 *
 * try {
 *   assertNoPII({ email: "ada@example.com" });
 * } catch (error) {
 *   if (isPIIError(error)) console.error(error.findings); // [{ path: "email", kind: "email" }]
 * }
 * ```
 */
export class PIIError extends Error {
  override readonly name = "PIIError";
  readonly code: PIIErrorCode;
  readonly findings: readonly PIIFinding[];

  constructor(code: PIIErrorCode, findings: readonly PIIFinding[], message?: string) {
    super(message ?? describe(code, findings));
    this.code = code;
    this.findings = findings;
    Object.defineProperty(this, BRAND, { value: true });
  }

  /** A plain, log-friendly form: code, message and findings (paths and kinds only). */
  toJSON(): { name: string; code: PIIErrorCode; message: string; findings: PIIFinding[] } {
    return { name: this.name, code: this.code, message: this.message, findings: [...this.findings] };
  }
}

/**
 * True for a {@link PIIError}, even one thrown by another installed copy of this package.
 *
 * @example
 * ```ts
 * import { isPIIError } from "@sessionvault/tokenize/detect";
 *
 * const refused = (error: unknown) => isPIIError(error) && error.code === "PII_DETECTED";
 * ```
 */
export function isPIIError(error: unknown): error is PIIError {
  return typeof error === "object" && error !== null && (error as Record<symbol, unknown>)[BRAND] === true;
}

/**
 * Throws a {@link PIIError} when `data` holds an email, phone number or card number, or
 * is too large to scan completely. Use it before writing a session: personal data belongs
 * in the vault (`tokenizeProfile`), the session keeps only the token.
 *
 * @example
 * ```ts
 * import { assertNoPII } from "@sessionvault/tokenize/detect";
 *
 * assertNoPII({ userToken: "7d0c3a2e-1f7b-4c5e-9a61-2b8d1e4f6a90", role: "admin" }); // passes
 * assertNoPII({ user: { email: "ada@example.com" } }); // throws PIIError (user.email: email)
 * ```
 */
export function assertNoPII(data: unknown, options?: FindPIIOptions): void {
  const { findings, truncated } = scanPII(data, options);
  if (findings.length > 0) throw new PIIError(PIIErrorCode.detected, findings);
  if (truncated) throw new PIIError(PIIErrorCode.scanLimit, findings);
}

function describe(code: PIIErrorCode, findings: readonly PIIFinding[]): string {
  if (code === PIIErrorCode.scanLimit) {
    return "Session data is too deep or too large to check for personal data; keep sessions small and store profiles with tokenizeProfile() from @sessionvault/tokenize.";
  }
  const shown = findings
    .slice(0, 10)
    .map((f) => `${f.path} (${f.kind})`)
    .join(", ");
  const more = findings.length > 10 ? ` and ${findings.length - 10} more` : "";
  return `Session data contains personal data at ${shown}${more}. Store it in the vault with tokenizeProfile() (or tokenize() for single values) from @sessionvault/tokenize and keep only the token in the session.`;
}

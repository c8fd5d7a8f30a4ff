export { type FindPIIOptions, findPII, type PIIFinding, type PIIKind, type PIIScan, scanPII } from "./find-pii.js";
export { isCardNumber, isPhoneNumber, luhnValid } from "./patterns.js";
export { assertNoPII, isPIIError, PIIError, PIIErrorCode } from "./pii-error.js";

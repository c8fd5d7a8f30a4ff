export {
  assertNoPII,
  type FindPIIOptions,
  findPII,
  isCardNumber,
  isPhoneNumber,
  isPIIError,
  luhnValid,
  PIIError,
  PIIErrorCode,
  type PIIFinding,
  type PIIKind,
  type PIIScan,
  scanPII,
} from "./detect/index.js";
export {
  type ForgetUserOptions,
  type ForgetUserResult,
  forgetUser,
  type ProfileConflict,
  type ProfileWriter,
  resolveProfile,
  type TokenizeProfileOptions,
  tokenizeProfile,
  type UserRef,
} from "./profile.js";
export { createTokenizer, type Tokenizer } from "./tokenizer.js";
export { detokenize, type TokenizeOptions, tokenize } from "./values.js";

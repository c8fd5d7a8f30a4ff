import { generateSessionId, isSessionId } from "@sessionvault/session";

/** A fresh session id: the engine's one generator (256 bits from the platform CSPRNG). */
export const newSessionId: () => string = generateSessionId;

/** Ids that cannot be session ids are not worth a vault round trip. */
export function isWellFormedSessionId(value: string | undefined): value is string {
  return isSessionId(value);
}

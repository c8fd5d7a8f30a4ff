// Vault error messages must never echo secrets, but a server we do not control (an
// older vault, Databunker, a proxy) might. Before a server message becomes an error
// message, every secret the request carried is cut out of it. This runs on the error
// path only, so the success path pays nothing.

const REPLACEMENT = "[redacted]";
// Enumerations, not secrets; redacting them would garble messages such as "mode must be email".
const PUBLIC_FIELDS = new Set(["mode", "tokentype", "slidingtime", "finaltime", "create", "unique", "offset", "limit"]);
const MIN_SECRET_LENGTH = 3;
const MAX_DEPTH = 8;
const MAX_SECRETS = 2000;

function collect(value: unknown, out: string[], depth: number): void {
  if (out.length >= MAX_SECRETS) return;
  if (typeof value === "string") {
    if (value.length >= MIN_SECRET_LENGTH) out.push(value);
    return;
  }
  if (typeof value === "number") {
    // Long numbers (card numbers, phone numbers written as numbers) are data too.
    if (Number.isFinite(value) && Math.abs(value) >= 1000) out.push(String(value));
    return;
  }
  if (typeof value !== "object" || value === null || depth > MAX_DEPTH) return;
  if (Array.isArray(value)) {
    for (const item of value) collect(item, out, depth + 1);
    return;
  }
  // Values only: keys are structure (field names such as "email"), and cutting them out
  // would garble the messages that name a field.
  for (const key of Object.keys(value)) {
    if (depth === 0 && PUBLIC_FIELDS.has(key)) continue;
    collect((value as Record<string, unknown>)[key], out, depth + 1);
  }
}

/**
 * Returns `message` with the access token and every string in the request body (the
 * session id, identities, session data, token values) replaced by "[redacted]".
 */
export function redact(message: string, accessToken: string, requestBody: unknown): string {
  const secrets = [accessToken];
  collect(requestBody, secrets, 0);
  // Longest first, so a secret that contains another one is removed whole.
  secrets.sort((a, b) => b.length - a.length);
  let result = message;
  for (const secret of secrets) {
    if (secret.length > 0 && result.includes(secret)) result = result.split(secret).join(REPLACEMENT);
  }
  return result;
}

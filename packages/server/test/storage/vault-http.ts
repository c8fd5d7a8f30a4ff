import { randomBytes } from "node:crypto";

/** A reply of the vault: status and parsed JSON body. */
export interface Reply {
  status: number;
  body: Record<string, unknown>;
}

/** POST /v2/<operation> with the access token, as every client does. */
export async function call(base: string, token: string, operation: string, body: unknown): Promise<Reply> {
  const res = await fetch(`${base}/v2/${operation}`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-bunker-token": token },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    parsed = { unparsable: text };
  }
  return { status: res.status, body: parsed };
}

/** A random session id of the length a CSPRNG cookie carries. */
export const sessionId = (label = "s") => `${label}-${randomBytes(16).toString("base64url")}`;

/** Environment that makes several `sessionvault start` processes one logical vault. */
export function sharedVaultEnv(storage: Record<string, string>): Record<string, string> {
  const token = randomBytes(24).toString("base64url");
  return {
    SESSIONVAULT_ACCESS_TOKENS: `tests:${token}`,
    SESSIONVAULT_MASTER_KEY: randomBytes(32).toString("base64"),
    ...storage,
  };
}

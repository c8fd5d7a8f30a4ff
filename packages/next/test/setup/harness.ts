import { createVaultClient, type VaultClient } from "@sessionvault/client";
import { type CookieJarClient, createCookieJarClient } from "@sessionvault/testkit";
import { inject } from "vitest";

export const COOKIE = "fx_session";

/** A fresh "browser" for the fixture app. */
export function browser(): CookieJarClient {
  return createCookieJarClient(inject("appUrl"));
}

/** Direct access to the vault, to check what the app did there. */
export function vault(): VaultClient {
  return createVaultClient({ baseUrl: inject("vaultUrl"), token: inject("vaultToken") });
}

/** Sends a command to the fixture's Route Handler. */
export async function command(client: CookieJarClient, body: Record<string, unknown>) {
  const response = await client.post("/api/session", { json: body });
  if (response.status !== 200)
    throw new Error(`command ${String(body.op)} answered ${response.status}: ${response.text}`);
  return response.json<{ data: Record<string, unknown> | null; userToken: string | null }>();
}

/** The JSON a Server Component rendered into `<pre id="...">`. */
export function renderedJson<T>(html: string, id: string): T {
  const match = new RegExp(`<pre id="${id}">([^<]*)</pre>`).exec(html);
  if (!match?.[1]) throw new Error(`no #${id} in the page`);
  return JSON.parse(match[1].replaceAll("&quot;", '"').replaceAll("&amp;", "&")) as T;
}

let counter = 0;
/** A user in the vault's PII store, for linking sessions. */
export async function createUser(): Promise<string> {
  counter += 1;
  const { token } = await vault().createUser({ login: `fixture-user-${process.pid}-${Date.now()}-${counter}` });
  return token;
}

import { randomUUID } from "node:crypto";
import type { VaultClient } from "@sessionvault/client";
import { type CookieJarClient, createCookieJarClient } from "@sessionvault/testkit";
import { findPII } from "@sessionvault/tokenize/detect";
import { expect } from "vitest";

/**
 * What every quickstart app does, checked through a cookie jar like a browser:
 * `GET {prefix}/visits` counts per session; `POST {prefix}/login {email}` tokenizes the
 * profile, rotates the session id and links the session to the user; `GET {prefix}/me`
 * resolves the profile from the vault (401 when signed out); `POST {prefix}/logout`
 * deletes the session in the vault.
 */
export async function checkQuickstartApp(
  appUrl: string,
  vault: VaultClient,
  prefix = "",
  hooks: QuickstartHooks = {},
): Promise<void> {
  const browser = createCookieJarClient(appUrl);
  await hooks.signedOut?.(browser);
  const visit = async () => {
    const res = await browser.get(`${prefix}/visits`);
    expect(res.status, res.text).toBe(200);
    return res.json<{ visits: number }>().visits;
  };
  expect(await visit()).toBe(1);
  expect(await visit()).toBe(2);
  expect(await visit()).toBe(3);
  // A second browser has its own session.
  const other = createCookieJarClient(appUrl);
  expect((await other.get(`${prefix}/visits`)).json<{ visits: number }>().visits).toBe(1);

  const cookiesBefore = await browser.jar.getCookieString(appUrl);
  const email = `docs-${randomUUID()}@example.com`;
  const login = await browser.post(`${prefix}/login`, { json: { email, name: "Ada" } });
  expect(login.status, login.text).toBe(200);
  const setCookie = login.headers.getSetCookie().join("\n");
  expect(setCookie).toMatch(/HttpOnly/i);
  expect(setCookie).toMatch(/SameSite=Lax/i);
  expect(await browser.jar.getCookieString(appUrl)).not.toBe(cookiesBefore);

  const me = await browser.get(`${prefix}/me`);
  expect(me.status, me.text).toBe(200);
  expect(me.json<{ email: string }>().email).toBe(email);
  await hooks.signedIn?.(browser);

  // The vault knows the session belongs to the user, and the session holds no PII.
  const { rows } = await vault.listUserSessions("email", email);
  expect(rows).toHaveLength(1);
  expect(findPII(rows[0]?.data)).toEqual([]);
  expect(rows[0]?.usertoken).toMatch(/^[0-9a-f-]{36}$/);

  const logout = await browser.post(`${prefix}/logout`);
  expect(logout.status, logout.text).toBe(200);
  expect((await browser.get(`${prefix}/me`)).status).toBe(401);
  expect((await vault.listUserSessions("email", email)).rows).toHaveLength(0);
  await hooks.signedOut?.(browser);
}

/** Extra checks of an app's own pages, run with the same browser. */
export interface QuickstartHooks {
  /** Before sign-in and after sign-out. */
  signedOut?(browser: CookieJarClient): Promise<void>;
  /** Right after sign-in (profile name "Ada"). */
  signedIn?(browser: CookieJarClient): Promise<void>;
}

import { type LoadedSession, SessionState } from "@sessionvault/session";
import { cookies, headers } from "next/headers.js";
import { cookieFor, isHttps, resolveOptions, type SessionOptions } from "./options.js";
import { type CookieJar, RequestSession, readonlySession } from "./session.js";
import { NextSessionStore } from "./store.js";
import type { SessionVault, UserRef } from "./types.js";

/**
 * Options for {@link createSessionVault}.
 *
 * @example
 * ```ts
 * const options: SessionVaultOptions = { cookieName: "app_session", ttl: 3600, absoluteTtl: 86400 };
 * ```
 */
export type SessionVaultOptions = SessionOptions;

const userIdentity = (user: UserRef) => (typeof user === "string" ? { mode: "token" as const, identity: user } : user);

/**
 * Create the session helpers for an App Router app. Declare the session data type once
 * here; every helper is typed by it. The cookie holds only a random id; the data lives
 * encrypted in the vault.
 *
 * @example
 * ```ts
 * // lib/session.ts
 * import { createSessionVault } from "@sessionvault/next";
 *
 * export const sessions = createSessionVault<{ visits: number }>({
 *   baseUrl: process.env.SESSIONVAULT_URL,
 *   token: process.env.SESSIONVAULT_TOKEN,
 *   ttl: 60 * 60 * 24 * 7,
 * });
 *
 * // app/page.tsx (Server Component): read-only
 * const session = await sessions.getSession();
 *
 * // app/actions.ts ("use server"): read/write
 * const session = await sessions.getMutableSession();
 * await session.save({ visits: (session.data?.visits ?? 0) + 1 });
 * ```
 */
export function createSessionVault<Data extends object>(options: SessionVaultOptions): SessionVault<Data> {
  const resolved = resolveOptions(options);
  const store = new NextSessionStore(resolved);
  // One vault read per render, however many Server Components ask; keyed by the request's cookie store.
  const reads = new WeakMap<object, Map<string, Promise<LoadedSession | null>>>();

  async function context() {
    const [jar, requestHeaders] = await Promise.all([cookies(), headers()]);
    const cookie = cookieFor(resolved, isHttps(requestHeaders.get("x-forwarded-proto")));
    return { jar: jar as unknown as CookieJar, cookie, id: jar.get(cookie.name)?.value ?? "" };
  }

  async function getMutableSession() {
    const { jar, cookie, id } = await context();
    const state = new SessionState(store);
    const found = await store.load(id, state);
    return new RequestSession<Data>(store, jar, cookie, id, found, state, () => reads.delete(jar));
  }

  const vault: SessionVault<Data> = {
    async getSession() {
      const { jar, id } = await context();
      const perJar = reads.get(jar) ?? new Map<string, Promise<LoadedSession | null>>();
      reads.set(jar, perJar);
      let pending = perJar.get(id);
      if (!pending) {
        pending = store.load(id, new SessionState(store));
        perJar.set(id, pending);
        // A failed read must not be remembered for the rest of the render.
        pending.catch(() => perJar.delete(id));
      }
      return readonlySession<Data>(id, await pending);
    },
    getMutableSession,
    async signIn(userToken) {
      await (await getMutableSession()).signIn(userToken);
    },
    async userToken() {
      return (await vault.getSession()).userToken;
    },
    listSessions: (mode, identity, listOptions) => store.engine.listSessions<Data>(mode, identity, listOptions),
    revokeSessions: (mode, identity, revokeOptions) => store.engine.revokeSessions(mode, identity, revokeOptions),

    async listUserSessions(user, listOptions) {
      const { id } = await context();
      const { mode, identity } = userIdentity(user);
      const { rows, total } = await store.engine.listSessions<Data>(mode, identity, listOptions);
      return {
        total,
        rows: rows.map((row) => ({
          id: row.sessionuuid,
          data: row.data,
          userToken: row.usertoken,
          created: row.created,
          lastUsed: row.lastused,
          expires: row.expires,
          current: row.sessionuuid === id,
        })),
      };
    },
    async revokeUser(user, revokeOptions = {}) {
      const keep = [...(revokeOptions.keep ?? [])];
      const current = revokeOptions.keepCurrent ? (await context()).id : "";
      if (current) keep.push(current);
      const { mode, identity } = userIdentity(user);
      return store.engine.revokeSessions(mode, identity, keep.length > 0 ? { keep } : {});
    },
    get client() {
      return store.engine.client;
    },
  };
  return vault;
}

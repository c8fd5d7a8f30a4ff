// Entry for `@sessionvault/next/middleware`: runs on the edge runtime, so it imports
// nothing from Node.js and nothing from Next.js at runtime; the vault is reached with fetch.
import { isSessionId, SessionState } from "@sessionvault/session";
import { type CookieAttributes, cookieFor, isHttps, resolveOptions, type SessionOptions } from "./options.js";
import { NextSessionStore } from "./store.js";
import type { SessionSnapshot } from "./types.js";

export { isSessionError, SessionError, SessionErrorCode } from "@sessionvault/session";
export type { SessionOptions, VaultConnection } from "./options.js";
export type { SessionSnapshot } from "./types.js";

/**
 * The parts of `NextRequest` the middleware helper reads.
 *
 * @example
 * ```ts
 * const request: MiddlewareRequest = nextRequest; // a NextRequest fits
 * ```
 */
export interface MiddlewareRequest {
  cookies: { get(name: string): { value: string } | undefined };
  headers: { get(name: string): string | null };
  nextUrl?: { protocol: string };
}

/**
 * The parts of `NextResponse` the middleware helper writes.
 *
 * @example
 * ```ts
 * const response: MiddlewareResponse = NextResponse.next();
 * ```
 */
export interface MiddlewareResponse {
  cookies: { set(name: string, value: string, attributes: CookieAttributes): unknown };
}

/**
 * A session seen from middleware / proxy: readable, and its data can be merged into.
 *
 * @example
 * ```ts
 * const session: MiddlewareSession<AppSession> = await sessions.getSession(request);
 * if (session.data) await session.update({ visits: session.data.visits + 1 });
 * ```
 */
export interface MiddlewareSession<Data extends object> extends SessionSnapshot<Data> {
  /**
   * Merge top-level keys into the session in the vault (a patch of the changed keys, as
   * everywhere). Resolves `false` when there is no session (or it vanished), and never creates one: sign-in belongs in a Route Handler
   * or Server Action, where the id can be rotated.
   */
  update(patch: Partial<Data>): Promise<boolean>;
}

/**
 * Session helpers for `proxy.ts` / `middleware.ts`.
 *
 * @example
 * ```ts
 * const sessions: SessionMiddleware<AppSession> = createSessionMiddleware<AppSession>({ cookieName: "app_session" });
 * ```
 */
export interface SessionMiddleware<Data extends object> {
  /** The request's session (fields `null` when there is none). */
  getSession(request: MiddlewareRequest): Promise<MiddlewareSession<Data>>;
  /**
   * Extend the session's sliding window in the vault and re-send the cookie with a fresh
   * `Max-Age`, so readers who never write stay signed in; expires the cookie when the
   * vault no longer knows the session. Resolves whether a live session was refreshed.
   * After `getSession` for the same request it makes no vault call (that read already
   * extended the window).
   */
  refresh(request: MiddlewareRequest, response: MiddlewareResponse): Promise<boolean>;
}

/**
 * Create session helpers for `proxy.ts` (Node.js runtime) or the edge `middleware.ts`.
 * Pass the same cookie options as to `createSessionVault`.
 *
 * @example
 * ```ts
 * // proxy.ts
 * import { NextResponse, type NextRequest } from "next/server";
 * import { createSessionMiddleware } from "@sessionvault/next/middleware";
 *
 * const sessions = createSessionMiddleware<{ visits: number }>({ cookieName: "app_session" });
 *
 * export async function proxy(request: NextRequest) {
 *   const session = await sessions.getSession(request);
 *   if (!session.data) return NextResponse.redirect(new URL("/signin", request.url));
 *   const response = NextResponse.next();
 *   await sessions.refresh(request, response);
 *   return response;
 * }
 * ```
 */
export function createSessionMiddleware<Data extends object>(options: SessionOptions): SessionMiddleware<Data> {
  const resolved = resolveOptions(options);
  const store = new NextSessionStore(resolved);

  function cookieOf(request: MiddlewareRequest) {
    const https = request.nextUrl ? request.nextUrl.protocol === "https:" : false;
    return cookieFor(resolved, https || isHttps(request.headers.get("x-forwarded-proto")));
  }
  function idOf(request: MiddlewareRequest): string {
    const raw = request.cookies.get(cookieOf(request).name)?.value;
    return isSessionId(raw) ? raw : "";
  }

  // What getSession learned about a request: the engine's state knows the read already
  // slid the window, so refresh() needs no second call.
  const seen = new WeakMap<MiddlewareRequest, { id: string; state: SessionState; live: boolean }>();

  return {
    async getSession(request) {
      const id = idOf(request);
      const state = new SessionState(store);
      const found = await store.load(id, state);
      const known = { id, state, live: found !== null };
      seen.set(request, known);
      let data = (found?.data as Data | undefined) ?? null;
      return {
        id: found ? id : null,
        get data() {
          return data;
        },
        userToken: found?.usertoken ?? null,
        created: found?.created ?? null,
        lastUsed: found?.lastused ?? null,
        expires: found?.expires ?? null,
        async update(patch) {
          if (!data || !known.live) return false;
          const next = { ...data, ...patch };
          known.live = await store.save(id, next, state);
          if (known.live) data = next;
          return known.live;
        },
      };
    },

    async refresh(request, response) {
      const id = idOf(request);
      if (!id) return false;
      const cookie = cookieOf(request);
      const known = seen.get(request);
      const live = known?.id === id ? known.live && (await store.touch(id, known.state)) : await store.touch(id);
      if (live) response.cookies.set(cookie.name, id, cookie.attributes);
      else response.cookies.set(cookie.name, "", cookie.expired);
      return live;
    },
  };
}

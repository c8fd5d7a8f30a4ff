import type { VaultClient, VaultSession } from "@sessionvault/client";
import { cookies, headers } from "next/headers.js";
import { cookieFor, isHttps, resolveOptions, type SessionOptions } from "./options.js";
import {
  type CookieStore,
  type LoadedSession,
  type RequestCookie,
  readonlySession,
  VaultBackedSession,
} from "./session.js";
import { isWellFormedSessionId } from "./session-id.js";
import type { MutableSession, ReadonlySession, UserRef, UserSessionRow } from "./types.js";

/**
 * Options for {@link createSessionVault}.
 *
 * @example
 * ```ts
 * const options: SessionVaultOptions = { cookieName: "app_session", ttl: 3600, absoluteTtl: 86400 };
 * ```
 */
export type SessionVaultOptions = SessionOptions;

/**
 * Sessions for one Next.js app, bound to one vault and one cookie.
 *
 * @example
 * ```ts
 * export const sessions: SessionVault<AppSession> = createSessionVault<AppSession>({ cookieName: "app_session" });
 * ```
 */
export interface SessionVault<Data extends object> {
  /**
   * The current request's session, read-only. Use it in Server Components, layouts and
   * anywhere else; repeated calls in one render share one vault read.
   */
  getSession(): Promise<ReadonlySession<Data>>;
  /** The current request's session with `save`, `update`, `destroy` and `regenerate`, for Route Handlers and Server Actions. */
  getMutableSession(): Promise<MutableSession<Data>>;
  /** Every live session of a user, newest first as the vault returns them; `current` marks this request's session. */
  listUserSessions(
    user: UserRef,
    options?: { offset?: number; limit?: number },
  ): Promise<{ rows: UserSessionRow<Data>[]; total: number }>;
  /**
   * Delete every session of a user ("sign out everywhere"). `keepCurrent` spares this
   * request's session ("sign out everywhere else"); `keep` spares the given ids.
   */
  revokeUser(user: UserRef, options?: { keep?: string[]; keepCurrent?: boolean }): Promise<{ deleted: number }>;
  /** The underlying vault client. */
  readonly client: VaultClient;
}

interface RequestContext {
  store: CookieStore;
  cookie: RequestCookie;
  id: string | null;
}

function userIdentity(user: UserRef): { mode: "token" | "login" | "email" | "phone" | "custom"; identity: string } {
  return typeof user === "string" ? { mode: "token", identity: user } : user;
}

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
  // One vault read per render, however many Server Components ask; keyed by the request's cookie store.
  const reads = new WeakMap<object, Map<string, Promise<VaultSession<Data> | null>>>();

  async function context(): Promise<RequestContext> {
    const [store, requestHeaders] = await Promise.all([cookies(), headers()]);
    const cookie = cookieFor(resolved, isHttps(requestHeaders.get("x-forwarded-proto")));
    const raw = store.get(cookie.name)?.value;
    return { store: store as unknown as CookieStore, cookie, id: isWellFormedSessionId(raw) ? raw : null };
  }

  async function load(id: string | null): Promise<LoadedSession<Data> | null> {
    if (!id) return null;
    const record = await resolved.client().getSession<Data>(id);
    return record ? { id, record } : null;
  }

  return {
    async getSession() {
      const ctx = await context();
      if (!ctx.id) return readonlySession<Data>(null);
      let perStore = reads.get(ctx.store);
      if (!perStore) {
        perStore = new Map();
        reads.set(ctx.store, perStore);
      }
      let pending = perStore.get(ctx.id);
      if (!pending) {
        pending = resolved.client().getSession<Data>(ctx.id);
        perStore.set(ctx.id, pending);
        // A failed read must not be remembered for the rest of the render.
        pending.catch(() => perStore?.delete(ctx.id as string));
      }
      const record = await pending;
      return readonlySession<Data>(record ? { id: ctx.id, record } : null);
    },

    async getMutableSession() {
      const ctx = await context();
      const loaded = await load(ctx.id);
      return new VaultBackedSession<Data>(resolved.client(), resolved, ctx.store, ctx.cookie, loaded, () =>
        reads.delete(ctx.store),
      );
    },

    async listUserSessions(user, listOptions = {}) {
      const ctx = await context();
      const { mode, identity } = userIdentity(user);
      const { rows, total } = await resolved.client().listUserSessions<Data>(mode, identity, listOptions);
      return {
        total,
        rows: rows.map((row) => ({
          id: row.sessionuuid,
          data: row.data,
          userToken: row.usertoken,
          created: row.created,
          lastUsed: row.lastused,
          expires: row.expires,
          current: row.sessionuuid === ctx.id,
        })),
      };
    },

    async revokeUser(user, revokeOptions = {}) {
      const keep = [...(revokeOptions.keep ?? [])];
      if (revokeOptions.keepCurrent) {
        const ctx = await context();
        if (ctx.id) keep.push(ctx.id);
      }
      const { mode, identity } = userIdentity(user);
      return resolved.client().revokeUserSessions(mode, identity, keep.length > 0 ? { keep } : {});
    },

    get client() {
      return resolved.client();
    },
  };
}

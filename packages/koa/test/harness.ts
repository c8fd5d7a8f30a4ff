// Wraps a VaultStore as the testkit's StoreUnderTest, calling it the way koa-session does:
// one context object per request, `maxAge` as koa-session passes it (the cookie's maxAge
// plus 10 s, or 'session'), and session data carrying koa-session's `_expire`/`_maxAge`/
// `_session`. A rolling refresh is koa-session's `set` with `changed: false` after a load.
import type { VaultClient } from "@sessionvault/client";
import type { CookieLifetime, StoreUnderTest, StoreUnderTestOptions, SuiteSessionData } from "@sessionvault/testkit";
import { type KoaSessionData, type SessionContext, VaultStore } from "../src/index.js";

const KOA_SLACK_MS = 10_000;
const KOA_KEYS = ["_expire", "_maxAge", "_session"];

/** koa-session's store `maxAge` for a cookie lifetime. */
export function koaMaxAge(lifetime: CookieLifetime): number | "session" {
  if ("maxAgeMs" in lifetime) return lifetime.maxAgeMs + KOA_SLACK_MS;
  if ("expires" in lifetime) return lifetime.expires.getTime() - Date.now() + KOA_SLACK_MS;
  return "session";
}

/** The data koa-session's `save` hands the store. */
function koaData(data: SuiteSessionData, maxAge: number | "session"): KoaSessionData {
  const own = Object.fromEntries(Object.entries(data).filter(([key]) => !KOA_KEYS.includes(key)));
  if (maxAge === "session") return { ...own, _session: true };
  const cookieMaxAge = maxAge - KOA_SLACK_MS;
  return { ...own, _expire: Date.now() + cookieMaxAge, _maxAge: cookieMaxAge };
}

export function koaStoreUnderTest(client: VaultClient, options: StoreUnderTestOptions): StoreUnderTest {
  const store = new VaultStore({ client, ttl: options.ttlSeconds, touchAfter: options.touchAfterSeconds });
  // The request (context) each loaded session object belongs to.
  const contexts = new WeakMap<object, SessionContext>();
  const contextOf = (data: SuiteSessionData): SessionContext => contexts.get(data) ?? {};

  const load = async (sid: string, ctx: SessionContext) => {
    const data = await store.get(sid, undefined, { rolling: true, ctx });
    if (data) contexts.set(data, ctx);
    return data;
  };
  const save = (
    sid: string,
    ctx: SessionContext,
    data: SuiteSessionData,
    lifetime: CookieLifetime,
    changed: boolean,
  ) => {
    const maxAge = koaMaxAge(lifetime);
    return store.set(sid, koaData(data, maxAge), maxAge, { rolling: true, changed, ctx });
  };

  return {
    get: (sid) => load(sid, {}),
    set: (sid, data, lifetime) => save(sid, contextOf(data), data, lifetime, true),
    async touch(sid, data, lifetime) {
      // koa-session refreshes only a session it loaded in the same request.
      const ctx: SessionContext = {};
      if (!(await load(sid, ctx))) return;
      await save(sid, ctx, data, lifetime, false);
    },
    destroy: (sid) => store.destroy(sid, { ctx: {} }),
    linkUser(sid, data, lifetime, usertoken) {
      const ctx = contextOf(data);
      ctx.session = {
        save: () => save(sid, ctx, data, lifetime, false),
        regenerate: () => Promise.reject(new Error("not used")),
      };
      return store.linkUser(ctx, usertoken);
    },
    async listUserSessions(mode, identity) {
      const { rows } = await store.listSessions(mode, identity);
      return rows.map((row) => row.sessionuuid);
    },
    async revokeUser(mode, identity) {
      return (await store.revokeSessions(mode, identity)).deleted;
    },
  };
}

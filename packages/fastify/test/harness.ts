// Wraps a VaultStore as the testkit's StoreUnderTest, calling it the way @fastify/session
// does: callbacks, a `cookie` in the session data in the shape of its `Cookie#toJSON`, the
// loaded object saved back (it carries what the request loaded), and a rolling save of an
// unmodified session as the "touch".
import { promisify } from "node:util";
import type { VaultClient } from "@sessionvault/client";
import type { CookieLifetime, StoreUnderTest, StoreUnderTestOptions, SuiteSessionData } from "@sessionvault/testkit";
import { type FastifySessionData, type SessionRequest, VaultStore } from "../src/index.js";

/** @fastify/session's `Cookie#toJSON()` for a cookie lifetime. */
export function cookieJSON(lifetime: CookieLifetime) {
  const base = { path: "/", httpOnly: true, secure: false, sameSite: "lax", domain: null, partitioned: undefined };
  if ("maxAgeMs" in lifetime) {
    return {
      ...base,
      originalMaxAge: lifetime.maxAgeMs,
      expires: new Date(Date.now() + lifetime.maxAgeMs).toISOString(),
    };
  }
  if ("expires" in lifetime) return { ...base, originalMaxAge: null, expires: lifetime.expires.toISOString() };
  return { ...base, originalMaxAge: null, expires: null };
}

export function fastifyStoreUnderTest(client: VaultClient, options: StoreUnderTestOptions): StoreUnderTest {
  const store = new VaultStore({ client, ttl: options.ttlSeconds, touchAfter: options.touchAfterSeconds });
  const get = promisify(store.get.bind(store)) as unknown as (sid: string) => Promise<FastifySessionData | null>;
  const set = promisify(store.set.bind(store)) as unknown as (
    sid: string,
    session: FastifySessionData,
  ) => Promise<void>;
  const destroy = promisify(store.destroy.bind(store)) as (sid: string) => Promise<void>;

  // Objects `get` returned stand for @fastify/session's session object and are saved as
  // they are; a fresh object is a new session, which @fastify/session would build itself.
  const loadedObjects = new WeakSet<object>();
  const load = async (sid: string) => {
    const loaded = await get(sid);
    if (loaded) loadedObjects.add(loaded);
    return loaded ?? null;
  };
  const sessionFor = (data: SuiteSessionData) => (loadedObjects.has(data) ? data : { ...data });
  const save = (sid: string, data: SuiteSessionData, lifetime: CookieLifetime) => {
    const session = sessionFor(data);
    session.cookie = JSON.parse(JSON.stringify(cookieJSON(lifetime)));
    return set(sid, session);
  };

  return {
    get: load,
    set: save,
    async touch(sid, _data, lifetime) {
      // @fastify/session saves (rolling) the session it loaded in the same request.
      const loaded = await load(sid);
      if (!loaded) return;
      await save(sid, loaded, lifetime);
    },
    destroy: (sid) => destroy(sid),
    linkUser(sid, data, lifetime, usertoken) {
      // The session object itself, with @fastify/session's methods (not enumerable, like
      // the prototype methods of its Session class).
      const session = sessionFor(data);
      loadedObjects.add(session);
      Object.defineProperties(session, {
        sessionId: { value: sid, configurable: true },
        save: { value: () => save(sid, session, lifetime), configurable: true },
        regenerate: { value: () => Promise.reject(new Error("not used")), configurable: true },
      });
      return store.linkUser({ session } as unknown as SessionRequest, usertoken);
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

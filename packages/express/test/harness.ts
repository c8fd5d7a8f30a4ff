// Wraps a VaultStore as the testkit's StoreUnderTest: every call goes through the same
// entry points express-session uses (get -> createSession, Session#save -> set, touch).
import { promisify } from "node:util";
import type { CookieLifetime, StoreUnderTest, StoreUnderTestOptions, SuiteSessionData } from "@sessionvault/testkit";
import session from "express-session";
import { VaultStore } from "../src/index.js";

type StoreRequest = Parameters<session.Store["createSession"]>[0];

const fakeRequest = (store: VaultStore, sid: string) =>
  ({ sessionID: sid, sessionStore: store }) as unknown as StoreRequest;

function cookieFor(lifetime: CookieLifetime): session.Cookie {
  const CookieClass = session.Cookie as unknown as new (options?: object) => session.Cookie;
  if ("maxAgeMs" in lifetime) return new CookieClass({ maxAge: lifetime.maxAgeMs });
  if ("expires" in lifetime) return new CookieClass({ expires: lifetime.expires });
  return new CookieClass();
}

// The typings make the constructor private; express-session itself calls it in `generate`.
const SessionClass = session.Session as unknown as new (
  req: StoreRequest,
  data: session.SessionData,
) => session.Session;

/** express-session's view of a session: a loaded one keeps its identity, a fresh one is generated. */
function asSession(store: VaultStore, sid: string, data: SuiteSessionData, lifetime: CookieLifetime) {
  const sess =
    data instanceof session.Session
      ? data
      : new SessionClass(fakeRequest(store, sid), { ...data } as unknown as session.SessionData);
  (sess as unknown as { cookie: session.Cookie }).cookie = cookieFor(lifetime);
  return sess as session.Session & session.SessionData;
}

/** A store built the way most apps build it: from connection settings, with the default transport. */
export function expressStoreUnderTest(
  vault: { url: string; token: string },
  options: StoreUnderTestOptions,
): StoreUnderTest {
  const store = new VaultStore({
    baseUrl: vault.url,
    token: vault.token,
    retry: { retries: 1, minDelayMs: 20 },
    ttl: options.ttlSeconds,
    touchAfter: options.touchAfterSeconds,
  });
  const get = promisify(store.get.bind(store));
  const set = promisify(store.set.bind(store)) as (sid: string, sess: session.SessionData) => Promise<void>;
  const touch = promisify(store.touch.bind(store)) as (sid: string, sess: session.SessionData) => Promise<void>;
  const destroy = promisify(store.destroy.bind(store)) as (sid: string) => Promise<void>;
  return {
    async get(sid) {
      const data = await get(sid);
      if (!data) return null;
      return store.createSession(fakeRequest(store, sid), data) as unknown as SuiteSessionData;
    },
    set: (sid, data, lifetime) => set(sid, asSession(store, sid, data, lifetime)),
    touch: (sid, data, lifetime) => touch(sid, asSession(store, sid, data, lifetime)),
    destroy: (sid) => destroy(sid),
    linkUser: (sid, data, lifetime, usertoken) =>
      store.linkUser({ sessionID: sid, session: asSession(store, sid, data, lifetime) }, usertoken),
    async listUserSessions(mode, identity) {
      const { rows } = await store.listSessions(mode, identity);
      return rows.map((row) => row.sessionuuid);
    },
    async revokeUser(mode, identity) {
      return (await store.revokeSessions(mode, identity)).deleted;
    },
  };
}

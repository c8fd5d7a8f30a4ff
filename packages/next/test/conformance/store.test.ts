import { createVaultClient, type Mode, type VaultClient } from "@sessionvault/client";
import { type CookieLifetime, SessionState } from "@sessionvault/session";
import { runStoreConformance, type CookieLifetime as SuiteLifetime, startVault } from "@sessionvault/testkit";
import { resolveOptions } from "../../src/options.js";
import { NextSessionStore } from "../../src/store.js";

// Next's store layer (what Route Handlers, Server Actions and the middleware helper write
// through) against a real vault. Each loaded object stands for one request: it carries the
// engine state of its load, as a request's session does.
function nextStoreUnderTest(client: VaultClient, ttlSeconds: number, touchAfter: number) {
  const store = new NextSessionStore(resolveOptions({ client, ttl: ttlSeconds, touchAfter }));
  const states = new WeakMap<object, SessionState>();
  const stateOf = (data: object) => states.get(data) ?? new SessionState(store);
  const lifetime = (suite: SuiteLifetime): CookieLifetime => ({ ...suite, ttlSeconds });
  return {
    async get(sid: string) {
      const state = new SessionState(store);
      const found = await store.load(sid, state);
      if (!found) return null;
      const data = { ...found.data };
      states.set(data, state);
      return data;
    },
    async set(sid: string, data: Record<string, unknown>, suite: SuiteLifetime) {
      await store.save(sid, { ...data }, stateOf(data), { lifetime: lifetime(suite) });
    },
    async touch(sid: string, data: Record<string, unknown>, suite: SuiteLifetime) {
      await store.touch(sid, stateOf(data), lifetime(suite));
    },
    destroy: (sid: string) => store.destroy(sid),
    async linkUser(sid: string, data: Record<string, unknown>, suite: SuiteLifetime, link: string | null) {
      await store.save(sid, { ...data }, stateOf(data), { lifetime: lifetime(suite), link });
    },
    async listUserSessions(mode: Mode, identity: string) {
      return (await store.engine.listSessions(mode, identity)).rows.map((row) => row.sessionuuid);
    },
    async revokeUser(mode: Mode, identity: string) {
      return (await store.engine.revokeSessions(mode, identity)).deleted;
    },
  };
}

runStoreConformance("@sessionvault/next", async () => {
  const vault = await startVault();
  const client = createVaultClient({ baseUrl: vault.url, token: vault.token, retry: { retries: 1, minDelayMs: 20 } });
  return {
    vault,
    client,
    createStore: ({ ttlSeconds, touchAfterSeconds }) => nextStoreUnderTest(client, ttlSeconds, touchAfterSeconds),
    close: () => vault.destroy(),
  };
});

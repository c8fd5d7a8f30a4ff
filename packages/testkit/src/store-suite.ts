/**
 * The store conformance suite: one set of behaviours that every framework adapter
 * (@sessionvault/express, koa, fastify, ...) proves against a REAL vault process.
 *
 * Usage, in an adapter package's test file:
 *
 * ```ts
 * import { runStoreConformance, startVault } from "@sessionvault/testkit";
 * runStoreConformance("@sessionvault/koa", async () => {
 *   const vault = await startVault();
 *   const client = createVaultClient({ baseUrl: vault.url, token: vault.token });
 *   return {
 *     vault, client,
 *     frameworkKeys: ["_expire", "_maxAge"],
 *     createStore: ({ ttlSeconds, touchAfterSeconds }) => wrapMyStore(new KoaVaultStore({ client, ttl: ttlSeconds, touchAfter: touchAfterSeconds })),
 *     close: () => vault.stop(),
 *   };
 * });
 * ```
 *
 * ## The harness contract
 *
 * `setup()` runs once (beforeAll). It starts a vault (normally `startVault()`), and returns a
 * {@link StoreHarness}:
 *
 * - `vault` — the running vault; the outage case calls `stop()` and then `restart()`
 *   (same data, same port). The outage case runs last.
 * - `client` — an `@sessionvault/client` for the same vault and tenant; the suite uses it to
 *   look at records directly (`version`, `expires`, `usertoken`) and to create users.
 * - `frameworkKeys` — top-level keys the framework itself keeps in session data (express:
 *   `cookie`; koa: `_expire`, `_maxAge`). The suite ignores them when it compares data.
 * - `createStore(options)` — a fresh adapter store on that vault, configured with
 *   `ttl = options.ttlSeconds` (lifetime of sessions whose cookie has neither maxAge nor
 *   expires) and `touchAfter = options.touchAfterSeconds`, wrapped as a {@link StoreUnderTest}.
 *   Two stores created from one harness must behave like two app processes: no shared
 *   in-memory state.
 * - `close()` — stops whatever `setup` started.
 *
 * A {@link StoreUnderTest} maps the framework's own store calls onto promises:
 *
 * - `get(sid)` — the framework's load. Resolves to a MUTABLE object standing for the loaded
 *   session (for express: the `Session` object express-session builds with
 *   `store.createSession`), or `null` for a missing or expired session. Rejects on any
 *   vault failure: an outage must never look like "no session".
 * - `set(sid, data, lifetime)` — the framework's save. `data` is either an object that `get`
 *   returned (then mutated by the test: the adapter may diff it against what was loaded and
 *   write only the changed keys) or a fresh plain object (a new session). Many requests may
 *   save one session at once; none may fail or lose another's key (the vault answers 409
 *   "too many concurrent writes" when writers collide too often: repeat such an unversioned
 *   write after a short random wait). `lifetime` says
 *   what the session cookie carries: `{ maxAgeMs }`, `{ expires }` (a Date) or `{}` (a
 *   browser-session cookie, so the store's `ttl` applies). The harness turns it into the
 *   framework's own form (express `cookie.expires`/`maxAge`, koa `maxAge` or `'session'`, ...).
 * - `touch(sid, data, lifetime)` — the framework's "nothing changed, keep it alive" call
 *   (express `touch`, koa `set` with `changed: false`, fastify's rolling save of an
 *   unmodified session). It must extend the vault's window WITHOUT re-sending the data (the
 *   suite checks that the record's `version` does not move), and it must be skipped when this
 *   store already wrote or touched the same session less than `touchAfter` seconds ago.
 * - `destroy(sid)` — the framework's destroy; idempotent.
 * - `linkUser(sid, data, lifetime, usertoken)` — persist the session linked to the user whose
 *   vault token is `usertoken` (`null` unlinks), the way the adapter's public API does it at
 *   login. The link must live in the vault record, not in the session data.
 * - `listUserSessions(mode, identity)` — the adapter's public "list my sessions"; resolves to
 *   the session ids.
 * - `revokeUser(mode, identity)` — the adapter's public "sign out everywhere"; resolves to the
 *   number of sessions deleted.
 *
 * The suite keeps total wall time small: the only real wait is one expiry of a 1-second
 * sliding window (the vault's smallest duration).
 */
import { randomBytes, randomUUID } from "node:crypto";
import type { Mode, VaultClient } from "@sessionvault/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/** A session's top-level data as the suite sees it. */
export type SuiteSessionData = Record<string, unknown>;

/** What the session cookie carries; see the harness contract above. */
export type CookieLifetime = { maxAgeMs: number } | { expires: Date } | Record<string, never>;

/** The vault process the suite may stop and restart. `startVault()` returns a superset of this. */
export interface SuiteVault {
  /** Base URL of the vault. */
  readonly url: string;
  /** Stops the vault; later calls must fail. */
  stop(): Promise<unknown>;
  /** Starts it again on the same port with the same data. */
  restart(): Promise<unknown>;
}

/** Options the suite asks `createStore` to configure the adapter with. */
export interface StoreUnderTestOptions {
  /** Lifetime in seconds of sessions whose cookie has neither maxAge nor expires (the adapter's `ttl`). */
  ttlSeconds: number;
  /** The adapter's `touchAfter`, in seconds; 0 means every touch reaches the vault. */
  touchAfterSeconds: number;
}

/** An adapter store behind promise-based calls; see the harness contract above. */
export interface StoreUnderTest {
  get(sid: string): Promise<SuiteSessionData | null>;
  set(sid: string, data: SuiteSessionData, lifetime: CookieLifetime): Promise<void>;
  touch(sid: string, data: SuiteSessionData, lifetime: CookieLifetime): Promise<void>;
  destroy(sid: string): Promise<void>;
  linkUser(sid: string, data: SuiteSessionData, lifetime: CookieLifetime, usertoken: string | null): Promise<void>;
  listUserSessions(mode: Mode, identity: string): Promise<string[]>;
  revokeUser(mode: Mode, identity: string): Promise<number>;
}

/** What an adapter's `setup` returns; see the harness contract above. */
export interface StoreHarness {
  vault: SuiteVault;
  client: VaultClient;
  frameworkKeys?: readonly string[];
  createStore(options: StoreUnderTestOptions): StoreUnderTest | Promise<StoreUnderTest>;
  close(): Promise<unknown>;
}

/** Options for {@link runStoreConformance}. */
export interface StoreConformanceOptions {
  /** Per-test timeout in ms (default 20 000: the machine running CI may be busy). */
  timeoutMs?: number;
}

const HOUR_MS = 3_600_000;
/** Second-granularity windows plus a busy machine: compare expiries within this much. */
const EXPIRY_TOLERANCE_MS = 5_000;
const SUITE_TTL_SECONDS = 1_800;
const SUITE_TOUCH_AFTER_SECONDS = 60;

const newSid = () => randomBytes(32).toString("base64url");
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Registers the store conformance suite with vitest. Call it at the top level of a test file.
 *
 * @param name - shown in the test report, e.g. the package name.
 * @param setup - starts a vault and returns the harness (see the contract at the top of this file).
 * @example
 * ```ts
 * runStoreConformance("@sessionvault/express", async () => {
 *   const vault = await startVault();
 *   const client = createVaultClient({ baseUrl: vault.url, token: vault.token });
 *   return { vault, client, frameworkKeys: ["cookie"], createStore: (o) => expressHarness(client, o), close: () => vault.stop() };
 * });
 * ```
 */
export function runStoreConformance(
  name: string,
  setup: () => Promise<StoreHarness>,
  options: StoreConformanceOptions = {},
): void {
  const timeout = options.timeoutMs ?? 20_000;

  describe(`store conformance: ${name}`, { timeout }, () => {
    let h: StoreHarness;
    let store: StoreUnderTest;
    let throttled: StoreUnderTest;

    const ownData = (loaded: SuiteSessionData | null): SuiteSessionData | null => {
      if (loaded === null) return null;
      const skip = new Set(h.frameworkKeys ?? []);
      return Object.fromEntries(Object.entries(loaded).filter(([key]) => !skip.has(key)));
    };
    const record = async (sid: string) => {
      const found = await h.client.getSession(sid);
      if (!found) throw new Error("expected the vault to hold the session");
      return found;
    };
    const newUser = async () => {
      const login = `u-${randomUUID()}`;
      const { token } = await h.client.createUser({ login });
      return { login, token };
    };

    beforeAll(async () => {
      h = await setup();
      store = await h.createStore({ ttlSeconds: SUITE_TTL_SECONDS, touchAfterSeconds: 0 });
      throttled = await h.createStore({ ttlSeconds: SUITE_TTL_SECONDS, touchAfterSeconds: SUITE_TOUCH_AFTER_SECONDS });
    }, 60_000);

    afterAll(async () => {
      await h?.close();
    }, 60_000);

    describe("round trip", () => {
      it("stores, loads and destroys a session", async () => {
        const sid = newSid();
        await store.set(sid, { user: "ada", n: 1 }, { maxAgeMs: HOUR_MS });
        expect(ownData(await store.get(sid))).toEqual({ user: "ada", n: 1 });
        await store.destroy(sid);
        expect(await store.get(sid)).toBeNull();
        expect(await h.client.getSession(sid)).toBeNull();
      });

      it("answers a miss with null, and destroying a missing session succeeds", async () => {
        const sid = newSid();
        expect(await store.get(sid)).toBeNull();
        await expect(store.destroy(sid)).resolves.toBeUndefined();
      });

      it("replaces the data of a fresh save and keeps the changes of a loaded one", async () => {
        const sid = newSid();
        await store.set(sid, { a: 1, b: 2 }, { maxAgeMs: HOUR_MS });
        const loaded = await store.get(sid);
        if (!loaded) throw new Error("expected a session");
        loaded.a = 10;
        delete loaded.b;
        loaded.c = [1, 2];
        await store.set(sid, loaded, { maxAgeMs: HOUR_MS });
        expect(ownData(await store.get(sid))).toEqual({ a: 10, c: [1, 2] });
      });
    });

    describe("lifetime follows the cookie", () => {
      it("uses cookie maxAge (milliseconds) as the vault window", async () => {
        const sid = newSid();
        await store.set(sid, { n: 1 }, { maxAgeMs: 2 * HOUR_MS });
        const { expires } = await record(sid);
        expect(expires).not.toBeNull();
        expect(Math.abs((expires ?? 0) - (Date.now() + 2 * HOUR_MS))).toBeLessThan(EXPIRY_TOLERANCE_MS);
      });

      it("uses cookie expires (a date) as the vault window", async () => {
        const sid = newSid();
        const at = new Date(Date.now() + 3 * HOUR_MS);
        await store.set(sid, { n: 1 }, { expires: at });
        const { expires } = await record(sid);
        expect(Math.abs((expires ?? 0) - at.getTime())).toBeLessThan(EXPIRY_TOLERANCE_MS);
      });

      it("uses the ttl option for a browser-session cookie", async () => {
        const sid = newSid();
        await store.set(sid, { n: 1 }, {});
        const { expires } = await record(sid);
        expect(Math.abs((expires ?? 0) - (Date.now() + SUITE_TTL_SECONDS * 1000))).toBeLessThan(EXPIRY_TOLERANCE_MS);
      });

      it("makes an expired session disappear", async () => {
        const sid = newSid();
        await store.set(sid, { n: 1 }, { maxAgeMs: 1_000 });
        const { expires } = await record(sid);
        // Reads slide the window, so wait for the window itself, read nothing meanwhile.
        await sleep(Math.max(0, (expires ?? Date.now()) - Date.now()) + 1_200);
        expect(await store.get(sid)).toBeNull();
        expect(await h.client.getSession(sid)).toBeNull();
      });

      it("does not write an already expired cookie, and removes what was stored", async () => {
        const sid = newSid();
        await store.set(sid, { n: 1 }, { maxAgeMs: HOUR_MS });
        await store.set(sid, { n: 2 }, { expires: new Date(Date.now() - 60_000) });
        expect(await h.client.getSession(sid)).toBeNull();
      });
    });

    describe("touch", () => {
      it("extends the window without re-sending the data", async () => {
        const sid = newSid();
        await store.set(sid, { n: 1 }, { maxAgeMs: 600_000 });
        const before = await record(sid);
        await store.touch(sid, { n: 1 }, { maxAgeMs: 2 * HOUR_MS });
        const after = await record(sid);
        expect(after.version).toBe(before.version);
        expect(after.data).toEqual(before.data);
        expect(Math.abs((after.expires ?? 0) - (Date.now() + 2 * HOUR_MS))).toBeLessThan(EXPIRY_TOLERANCE_MS);
      });

      it("is skipped within touchAfter of this store's last write or touch", async () => {
        const sid = newSid();
        await throttled.set(sid, { n: 1 }, { maxAgeMs: 600_000 });
        await throttled.touch(sid, { n: 1 }, { maxAgeMs: 2 * HOUR_MS });
        const { expires } = await record(sid);
        // Still the 10-minute window from the write: the touch did not reach the vault.
        expect(Math.abs((expires ?? 0) - (Date.now() + 600_000))).toBeLessThan(EXPIRY_TOLERANCE_MS);
      });

      it("still reaches the vault from a store that has not extended the session recently", async () => {
        const sid = newSid();
        await store.set(sid, { n: 1 }, { maxAgeMs: 600_000 });
        const other = await h.createStore({
          ttlSeconds: SUITE_TTL_SECONDS,
          touchAfterSeconds: SUITE_TOUCH_AFTER_SECONDS,
        });
        await other.touch(sid, { n: 1 }, { maxAgeMs: 2 * HOUR_MS });
        const { expires } = await record(sid);
        expect(Math.abs((expires ?? 0) - (Date.now() + 2 * HOUR_MS))).toBeLessThan(EXPIRY_TOLERANCE_MS);
      });

      it("never brings back a destroyed session", async () => {
        const sid = newSid();
        await store.set(sid, { n: 1 }, { maxAgeMs: HOUR_MS });
        await store.destroy(sid);
        await store.touch(sid, { n: 1 }, { maxAgeMs: HOUR_MS });
        expect(await h.client.getSession(sid)).toBeNull();
      });
    });

    describe("concurrency", () => {
      it("keeps both changes when two requests change different keys", async () => {
        const sid = newSid();
        await store.set(sid, { keep: "me", a: 0, b: 0, gone: true }, { maxAgeMs: HOUR_MS });
        const [first, second] = await Promise.all([store.get(sid), store.get(sid)]);
        if (!first || !second) throw new Error("expected a session");
        first.a = 1;
        delete first.gone;
        second.b = 2;
        await Promise.all([
          store.set(sid, first, { maxAgeMs: HOUR_MS }),
          store.set(sid, second, { maxAgeMs: HOUR_MS }),
        ]);
        expect(ownData(await store.get(sid))).toEqual({ keep: "me", a: 1, b: 2 });
      });

      it("keeps every change of many requests racing on one session", async () => {
        const sid = newSid();
        const writers = 32;
        const rounds = 4;
        await store.set(sid, { base: true }, { maxAgeMs: HOUR_MS });
        // Each writer loads, changes its own key and saves, again and again: a busy session
        // (a single-page app's parallel calls). No request may fail and no change may be lost.
        await Promise.all(
          Array.from({ length: writers }, async (_, i) => {
            for (let round = 1; round <= rounds; round++) {
              const session = await store.get(sid);
              if (!session) throw new Error("expected a session");
              session[`k${i}`] = round;
              await store.set(sid, session, { maxAgeMs: HOUR_MS });
            }
          }),
        );
        const expected: SuiteSessionData = { base: true };
        for (let i = 0; i < writers; i++) expected[`k${i}`] = rounds;
        expect(ownData(await store.get(sid))).toEqual(expected);
      });

      it("lets the last writer win when two requests change the same key", async () => {
        const sid = newSid();
        await store.set(sid, { k: "start", other: 1 }, { maxAgeMs: HOUR_MS });
        const [first, second] = await Promise.all([store.get(sid), store.get(sid)]);
        if (!first || !second) throw new Error("expected a session");
        first.k = "first";
        second.k = "second";
        await store.set(sid, first, { maxAgeMs: HOUR_MS });
        await store.set(sid, second, { maxAgeMs: HOUR_MS });
        expect(ownData(await store.get(sid))).toEqual({ k: "second", other: 1 });
      });

      it("does not resurrect a session destroyed while a request held it", async () => {
        const sid = newSid();
        await store.set(sid, { n: 1 }, { maxAgeMs: HOUR_MS });
        const loaded = await store.get(sid);
        if (!loaded) throw new Error("expected a session");
        await store.destroy(sid);
        loaded.n = 2;
        await store.set(sid, loaded, { maxAgeMs: HOUR_MS });
        expect(await h.client.getSession(sid)).toBeNull();
      });
    });

    describe("data", () => {
      it("round-trips large, unicode and nested data", async () => {
        const sid = newSid();
        const data = {
          big: "x".repeat(100 * 1024),
          unicode: 'Grüße, 世界 — 🚀 \u0000\u2028 "quoted" \\ back',
          nested: { list: [1, "two", { three: [3, null, false] }], deep: { a: { b: { c: { d: 1.5 } } } } },
          emptyObject: {},
          emptyList: [],
          zero: 0,
          nothing: null,
        };
        await store.set(sid, data, { maxAgeMs: HOUR_MS });
        expect(ownData(await store.get(sid))).toEqual(data);
      });
    });

    describe("users", () => {
      it("links a session to a user in the vault record, not in the data", async () => {
        const user = await newUser();
        const sid = newSid();
        const unrelated = newSid();
        await store.set(unrelated, { n: 0 }, { maxAgeMs: HOUR_MS });
        await store.linkUser(sid, { n: 1 }, { maxAgeMs: HOUR_MS }, user.token);
        expect((await record(sid)).usertoken).toBe(user.token);
        expect(ownData(await store.get(sid))).toEqual({ n: 1 });
        const listed = await store.listUserSessions("login", user.login);
        expect(listed).toContain(sid);
        expect(listed).not.toContain(unrelated);
      });

      it("keeps the link across later saves, and unlinks on request", async () => {
        const user = await newUser();
        const sid = newSid();
        await store.linkUser(sid, { n: 1 }, { maxAgeMs: HOUR_MS }, user.token);
        const loaded = await store.get(sid);
        if (!loaded) throw new Error("expected a session");
        loaded.n = 2;
        await store.set(sid, loaded, { maxAgeMs: HOUR_MS });
        expect(await store.listUserSessions("token", user.token)).toEqual([sid]);
        const again = await store.get(sid);
        if (!again) throw new Error("expected a session");
        await store.linkUser(sid, again, { maxAgeMs: HOUR_MS }, null);
        expect(await store.listUserSessions("login", user.login)).toEqual([]);
        expect(ownData(await store.get(sid))).toEqual({ n: 2 });
      });

      it("revokes every session of one user and no other", async () => {
        const user = await newUser();
        const bystander = await newUser();
        const [phone, laptop, theirs] = [newSid(), newSid(), newSid()];
        await store.linkUser(phone, { d: "phone" }, { maxAgeMs: HOUR_MS }, user.token);
        await store.linkUser(laptop, { d: "laptop" }, {}, user.token);
        await store.linkUser(theirs, { d: "theirs" }, { maxAgeMs: HOUR_MS }, bystander.token);
        expect(await store.revokeUser("login", user.login)).toBe(2);
        expect(await store.get(phone)).toBeNull();
        expect(await store.get(laptop)).toBeNull();
        expect(ownData(await store.get(theirs))).toEqual({ d: "theirs" });
        expect(await store.listUserSessions("login", user.login)).toEqual([]);
      });
    });

    // Last: it stops the vault.
    describe("outage", () => {
      it("fails loudly while the vault is down and keeps every session once it is back", async () => {
        const sid = newSid();
        await store.set(sid, { cart: ["book"] }, { maxAgeMs: HOUR_MS });
        await h.vault.stop();
        try {
          const failures = await Promise.allSettled([
            store.get(sid),
            store.set(sid, { cart: [] }, { maxAgeMs: HOUR_MS }),
            store.touch(sid, { cart: ["book"] }, { maxAgeMs: HOUR_MS }),
            store.destroy(sid),
          ]);
          for (const outcome of failures) {
            expect(outcome.status).toBe("rejected");
            if (outcome.status === "rejected") expect(outcome.reason).toBeInstanceOf(Error);
          }
        } finally {
          await h.vault.restart();
        }
        expect(ownData(await store.get(sid))).toEqual({ cart: ["book"] });
      });
    });
  });
}

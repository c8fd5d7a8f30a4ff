import type { Mode, VaultClient, VaultSessionRow } from "@sessionvault/client";
import { createNodeFetch } from "@sessionvault/client/node";
import {
  cookieWindow,
  dataKeys,
  SessionEngine,
  SessionState,
  type StoreBehaviour,
  type StoreConnectionOptions,
  type StoreOptions,
  ttlSeconds,
} from "@sessionvault/session";

/**
 * Session data as koa-session hands it to a store (its `_expire`, `_maxAge`, `_session` included).
 *
 * @example
 * ```ts
 * const data: KoaSessionData = { views: 3, _expire: Date.now() + 3_600_000, _maxAge: 3_600_000 };
 * ```
 */
export type KoaSessionData = Record<string, unknown>;

/**
 * The part of a Koa context the store and helpers use: koa-session's `ctx.session`. Any Koa
 * context fits.
 *
 * @example
 * ```ts
 * app.use(async (ctx: SessionContext) => store.linkUser(ctx, token));
 * ```
 */
export interface SessionContext {
  session?: KoaSessionLike | null;
  [key: string]: unknown;
}

/**
 * The part of koa-session's `Session` the helpers use.
 *
 * @example
 * ```ts
 * const session = ctx.session as KoaSessionLike;
 * await session.regenerate();
 * ```
 */
export interface KoaSessionLike {
  save(): Promise<void> | undefined;
  regenerate(): Promise<void> | undefined;
  readonly externalKey?: string | undefined;
  [key: string]: unknown;
}

/**
 * Connection settings passed to `createVaultClient` when no `client` is given.
 *
 * @example
 * ```ts
 * const connection: VaultConnectionOptions = { baseUrl: "http://127.0.0.1:4700", token: "DEMO", timeoutMs: 2_000 };
 * ```
 */
export type VaultConnectionOptions = StoreConnectionOptions;

/**
 * How the store behaves; shared by both ways of connecting. `ttl` is the lifetime of a
 * browser-session cookie (`maxAge: 'session'`); `touchAfter` throttles rolling refreshes.
 *
 * @example
 * ```ts
 * const behaviour: VaultStoreBehaviour = { ttl: 1_800, touchAfter: 60, strict: true };
 * ```
 */
export type VaultStoreBehaviour = StoreBehaviour<KoaSessionData>;

/**
 * Options of {@link VaultStore}: a ready `client`, or the settings to create one.
 *
 * @example
 * ```ts
 * const options: VaultStoreOptions = { baseUrl: "http://127.0.0.1:4700", token: "DEMO", ttl: 1800 };
 * ```
 */
export type VaultStoreOptions = StoreOptions<KoaSessionData>;

/**
 * A user's live session as {@link VaultStore.listSessions} returns it.
 *
 * @example
 * ```ts
 * const { rows }: { rows: UserSessionRow[] } = await store.listSessions("login", "ada");
 * const devices = rows.map((row) => ({ id: row.sessionuuid, lastUsed: new Date(row.lastused) }));
 * ```
 */
export type UserSessionRow = VaultSessionRow<KoaSessionData>;

/**
 * koa-session's `get` options.
 *
 * @example
 * ```ts
 * const options: StoreGetOptions = { rolling: true, ctx };
 * ```
 */
export interface StoreGetOptions {
  rolling?: boolean;
  ctx?: unknown;
}

/**
 * koa-session's `set` options; `changed: false` is a refresh of unchanged data.
 *
 * @example
 * ```ts
 * const options: StoreSetOptions = { rolling: true, changed: false, ctx };
 * ```
 */
export interface StoreSetOptions {
  rolling?: boolean;
  changed?: boolean;
  ctx?: unknown;
}

/**
 * koa-session's `destroy` options.
 *
 * @example
 * ```ts
 * const options: StoreDestroyOptions = { ctx };
 * ```
 */
export interface StoreDestroyOptions {
  ctx?: unknown;
}

// koa-session hands `set` the cookie's maxAge plus 10 s "to make sure the store expires
// after the cookie". The vault's window is exact, so the store takes the 10 s off again.
const KOA_STORE_SLACK_MS = 10_000;
// koa-session's default maxAge when the option is absent.
const ONE_DAY_MS = 86_400_000;
// Keys koa-session writes itself. `_expire` moves on every save, so it is never stored but
// rebuilt from the vault's expiry on load. `_maxAge` of a rolling session is the vault's
// sliding window itself, so it is rebuilt from that too; a non-rolling session keeps it,
// because its window has a fixed end that does not tell the length.
const EXPIRE_KEY = "_expire";
const MAX_AGE_KEY = "_maxAge";
const SESSION_COOKIE_KEY = "_session";

/**
 * A koa-session external store whose sessions live encrypted in a sessionvault vault: a
 * translation of koa-session's calls onto the shared store core of `@sessionvault/session`.
 *
 * - The window follows the cookie: koa-session's `maxAge` (its `+10 s` taken off again),
 *   sliding with `rolling`, absolute otherwise; `ttl` for `maxAge: 'session'`.
 * - A session loaded in a request is saved as a patch of the top-level keys that request
 *   changed, so concurrent requests changing different keys both keep their change.
 * - A rolling refresh of unchanged data never re-sends the data: the load already slid the
 *   window, otherwise it is one `SessionTouch`, throttled by `touchAfter`.
 * - Vault failures reach Koa as errors (a 5xx), never as a missing session; a refusal
 *   is a 500 `SessionStoreError`.
 *
 * @example
 * ```ts
 * import Koa from "koa";
 * import session from "koa-session";
 * import { VaultStore, generateSessionId } from "@sessionvault/koa";
 *
 * const app = new Koa();
 * app.keys = [process.env.SESSION_KEY ?? "dev key"];
 * const store = new VaultStore({ baseUrl: "http://127.0.0.1:4700", token: "DEMO" });
 * app.use(session({ store, genid: generateSessionId, maxAge: 3_600_000, rolling: true }, app));
 * ```
 */
export class VaultStore {
  /** The vault client this store uses; share it for users, tokens and admin calls. */
  readonly client: VaultClient;
  private readonly core: SessionEngine<KoaSessionData>;
  private readonly requests = new WeakMap<object, SessionState>();

  constructor(options: VaultStoreOptions) {
    this.core = new SessionEngine(options, { fetch: createNodeFetch() });
    this.client = this.core.client;
  }

  /**
   * koa-session's load. A missing or expired session (or an id that cannot be one) is
   * `null`; any vault failure throws.
   *
   * @example
   * ```ts
   * const data = await store.get(key, 86_400_000, { rolling: false, ctx });
   * ```
   */
  async get(key: string, _maxAge?: number | "session", options: StoreGetOptions = {}): Promise<KoaSessionData | null> {
    const found = await this.core.load(key, this.stateOf(options.ctx));
    if (!found) return null;
    const data = found.data;
    // The vault is the authority on expiry: koa-session checks `_expire` and renews by it.
    if (data[SESSION_COOKIE_KEY] !== true && found.expires !== null) {
      data[EXPIRE_KEY] = found.expires;
      if (data[MAX_AGE_KEY] === undefined) data[MAX_AGE_KEY] = Math.max(1000, found.expires - found.lastused);
    }
    return data;
  }

  /**
   * koa-session's save. `maxAge` is koa-session's (the cookie's maxAge plus 10 s, or
   * `'session'`). A session loaded in this request is patched with what changed; an
   * unchanged one only has its window extended; a new one is written whole.
   *
   * @example
   * ```ts
   * await store.set(key, { views: 1, _maxAge: 3_600_000 }, 3_610_000, { rolling: true, changed: true, ctx });
   * ```
   */
  async set(
    key: string,
    sess: KoaSessionData,
    maxAge?: number | "session",
    options: StoreSetOptions = {},
  ): Promise<void> {
    const data: KoaSessionData = { ...sess };
    delete data[EXPIRE_KEY];
    const browserSession = maxAge === "session" || data[SESSION_COOKIE_KEY] === true;
    const window = cookieWindow(
      {
        maxAgeMs: browserSession ? undefined : (maxAge ?? ONE_DAY_MS + KOA_STORE_SLACK_MS) - KOA_STORE_SLACK_MS,
        rolling: options.rolling ?? false,
        ttlSeconds: browserSession ? ttlSeconds(this.core.ttl, data) : 1,
      },
      Date.now(),
    );
    if (window?.sliding) delete data[MAX_AGE_KEY];
    await this.core.save(key, data, window, this.stateOf(options.ctx));
  }

  /**
   * koa-session's destroy: deletes the session in the vault. Deleting a missing session
   * succeeds.
   *
   * @example
   * ```ts
   * await store.destroy(key, { ctx });
   * ```
   */
  async destroy(key: string, options: StoreDestroyOptions = {}): Promise<void> {
    await this.core.destroy(key, this.stateOf(options.ctx));
  }

  /**
   * Links the request's session to the user whose vault token is `usertoken` (`null`
   * unlinks it) and saves it now. The link lives in the vault record, never in the
   * session data; later saves keep it, and a regenerated id inherits it. At login prefer
   * {@link signIn}, which also gives the session a new id.
   *
   * @example
   * ```ts
   * const { token } = await store.client.createUser({ login: "ada" });
   * await store.linkUser(ctx, token);
   * ```
   */
  async linkUser(ctx: SessionContext, usertoken: string | null): Promise<void> {
    const session = this.sessionOf(ctx, "linkUser");
    this.core.linkUser(this.ensureState(ctx), usertoken);
    await session.save();
  }

  /**
   * Login in one step: a new session id (the pre-login id is deleted, so a planted id is
   * worthless), the data carried over, and the session linked to the user, written once.
   *
   * @example
   * ```ts
   * router.post("/login", async (ctx) => {
   *   const user = await store.client.getUser("login", ctx.request.body.login);
   *   ctx.session.login = ctx.request.body.login;
   *   await store.signIn(ctx, user.token);
   * });
   * ```
   */
  async signIn(ctx: SessionContext, usertoken: string): Promise<void> {
    const session = this.sessionOf(ctx, "signIn");
    this.core.linkUser(this.ensureState(ctx), usertoken);
    await session.regenerate();
  }

  /**
   * Gives the request a new session id and deletes the old one in the vault. With
   * `keepData: true` (the default, koa-session's own behaviour) the data and the user
   * link move to the new id; with `keepData: false` the new session starts empty and
   * unlinked.
   *
   * @example
   * ```ts
   * await store.regenerate(ctx);                     // login: same data, new id
   * await store.regenerate(ctx, { keepData: false }); // switch user: nothing carried over
   * ```
   */
  async regenerate(ctx: SessionContext, options: { keepData?: boolean } = {}): Promise<void> {
    const session = this.sessionOf(ctx, "regenerate");
    if (options.keepData === false) {
      for (const name of dataKeys(session, ["isNew"])) if (!name.startsWith("_")) delete session[name];
      this.core.unlink(this.ensureState(ctx));
    }
    await session.regenerate();
  }

  /**
   * The vault token of the user the request's loaded session is linked to, or `null`.
   *
   * @example
   * ```ts
   * if (!store.userToken(ctx)) ctx.throw(401);
   * ```
   */
  userToken(ctx: SessionContext): string | null {
    return this.core.userToken(this.requests.get(ctx));
  }

  /**
   * Lists a user's live sessions, most recently used first, found by any of the user's
   * identities. Builds "your devices" pages.
   *
   * @example
   * ```ts
   * const { rows, total } = await store.listSessions("login", "ada", { limit: 20 });
   * ```
   */
  listSessions(
    mode: Mode,
    identity: string,
    options?: { offset?: number; limit?: number; signal?: AbortSignal },
  ): Promise<{ rows: UserSessionRow[]; total: number }> {
    return this.core.listSessions<KoaSessionData>(mode, identity, options);
  }

  /**
   * Deletes every session of a user ("sign out everywhere"), except the ids in `keep`
   * ("everywhere else"). Each signed-out browser gets no session on its next request.
   *
   * @example
   * ```ts
   * const keep = ctx.session?.externalKey ? [ctx.session.externalKey] : [];
   * const { deleted } = await store.revokeSessions("login", "ada", { keep });
   * ```
   */
  revokeSessions(
    mode: Mode,
    identity: string,
    options?: { keep?: string[]; signal?: AbortSignal },
  ): Promise<{ deleted: number }> {
    return this.core.revokeSessions(mode, identity, options);
  }

  private sessionOf(ctx: SessionContext, name: string): KoaSessionLike {
    if (!ctx.session) throw new TypeError(`${name} needs ctx.session: mount koa-session with this store first`);
    return ctx.session;
  }

  private stateOf(ctx: unknown): SessionState | undefined {
    return typeof ctx === "object" && ctx !== null ? this.ensureState(ctx) : undefined;
  }

  private ensureState(ctx: object): SessionState {
    let state = this.requests.get(ctx);
    if (!state) {
      state = new SessionState(this);
      this.requests.set(ctx, state);
    }
    return state;
  }
}

import {
  createVaultClient,
  type Mode,
  type VaultClient,
  type VaultClientOptions,
  type VaultSession,
  type VaultSessionRow,
  type WindowOptions,
} from "@sessionvault/client";
import { assertNoPII } from "@sessionvault/tokenize/detect";
import { toStoreError } from "./errors.js";
import { isSessionId } from "./session-id.js";
import { dataOf, diffSnapshots, type Snapshot, snapshotOf } from "./snapshot.js";
import { slidingMs, toFinalTime, toSlidingTime } from "./window.js";

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
 * const connection: VaultConnectionOptions = { baseUrl: "http://127.0.0.1:3000", token: "DEMO", timeoutMs: 2_000 };
 * ```
 */
export type VaultConnectionOptions = Pick<
  VaultClientOptions,
  "baseUrl" | "token" | "tenant" | "timeoutMs" | "retry" | "fetch" | "headers"
>;

/**
 * How the store behaves; shared by both ways of connecting.
 *
 * @example
 * ```ts
 * const behaviour: VaultStoreBehaviour = { ttl: 1_800, touchAfter: 60, strict: true };
 * ```
 */
export interface VaultStoreBehaviour {
  /**
   * Lifetime in seconds of a session whose cookie is a browser-session cookie
   * (`maxAge: 'session'`), or a function of the session returning it. It slides: every
   * request extends it. Default 86 400 (one day).
   */
  ttl?: number | ((session: KoaSessionData) => number);
  /**
   * Seconds during which a rolling refresh is skipped after this process wrote or
   * extended the session. Default 0: every refresh the load has not already covered
   * extends the window (without sending data).
   */
  touchAfter?: number;
  /** Never extend the window on a rolling refresh; only writes do. Default false. */
  disableTouch?: boolean;
  /**
   * Refuse to write recognisable personal data (emails, phone numbers, card numbers): the
   * write fails with a `PIIError` naming the path, never the value. Default false.
   */
  strict?: boolean;
}

/**
 * Options of {@link VaultStore}: a ready `client`, or the settings to create one.
 *
 * @example
 * ```ts
 * const options: VaultStoreOptions = { baseUrl: "http://127.0.0.1:3000", token: "DEMO", ttl: 1800 };
 * ```
 */
export type VaultStoreOptions = VaultStoreBehaviour &
  (
    | ({ client: VaultClient } & { [K in keyof VaultConnectionOptions]?: never })
    | (VaultConnectionOptions & { client?: never })
  );

/**
 * A user's live session as {@link VaultStore.listUserSessions} returns it.
 *
 * @example
 * ```ts
 * const { rows }: { rows: UserSessionRow[] } = await store.listUserSessions("login", "ada");
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

const DEFAULT_TTL_SECONDS = 86_400;
// koa-session hands `set` the cookie's maxAge plus 10 s "to make sure the store expires
// after the cookie". The vault's window is exact and rounded up to whole seconds, so the
// store takes the 10 s off again and its window ends with the cookie, not 10 s later.
const KOA_STORE_SLACK_MS = 10_000;
// koa-session's default maxAge when the option is absent.
const ONE_DAY_MS = 86_400_000;
// Expiries this close together are the same to a window counted in whole seconds.
const SAME_EXPIRY_MS = 2_000;
// The vault slides a window on a read only when it moves by 1% of its length (at most a
// minute); a refresh that would move it by less is covered the same way.
const SLIDE_SHARE = 0.01;
const MAX_SLIDE_LAG_MS = 60_000;
// Bounds the memory the touchAfter bookkeeping may take on a busy process.
const MAX_REMEMBERED_TOUCHES = 10_000;
// Keys koa-session writes itself. `_expire` moves on every save, so it is never stored but
// rebuilt from the vault's expiry on load. `_maxAge` of a rolling session is the vault's
// sliding window itself, so it is rebuilt from that too; a non-rolling session keeps it,
// because its window has a fixed end that does not tell the length.
const EXPIRE_KEY = "_expire";
const MAX_AGE_KEY = "_maxAge";
const SESSION_COOKIE_KEY = "_session";

/** What one request (one Koa context) knows about its session. */
interface RequestState {
  /** The id loaded or last written in this request; undefined after a miss or destroy. */
  key?: string | undefined;
  /** Its data as loaded or last written. */
  snapshot?: Snapshot | undefined;
  /** Its expiry as the vault last reported or this store last set. */
  expires?: number | null | undefined;
  /** The user it is linked to (carried over to a regenerated id). */
  link: string | null;
  /** A link change asked for with {@link VaultStore.linkUser}, not yet written. */
  pendingLink?: string | null | undefined;
}

interface Window {
  options: WindowOptions;
  /** When the record expires if written now. */
  expires: number;
  /** Whether a rolling refresh can be a touch (no absolute end to move). */
  sliding: boolean;
}

/**
 * A koa-session external store whose sessions live encrypted in a sessionvault vault.
 *
 * - The window follows the cookie: koa-session's `maxAge` (its `+10 s` taken off again),
 *   sliding with `rolling`, absolute otherwise; `ttl` for `maxAge: 'session'`.
 * - A session loaded in a request is saved as a patch of the top-level keys that request
 *   changed, so concurrent requests changing different keys both keep their change.
 * - A rolling refresh of unchanged data never re-sends the data: the load already slid the
 *   window, otherwise it is one `SessionTouch`, throttled by `touchAfter`.
 * - Vault failures reach Koa as errors (a 5xx), never as a missing session.
 *
 * @example
 * ```ts
 * import Koa from "koa";
 * import session from "koa-session";
 * import { VaultStore, generateSessionId } from "@sessionvault/koa";
 *
 * const app = new Koa();
 * app.keys = [process.env.SESSION_KEY ?? "dev key"];
 * const store = new VaultStore({ baseUrl: "http://127.0.0.1:3000", token: "DEMO" });
 * app.use(session({ store, genid: generateSessionId, maxAge: 3_600_000, rolling: true }, app));
 * ```
 */
export class VaultStore {
  /** The vault client this store uses; share it for users, tokens and admin calls. */
  readonly client: VaultClient;
  private readonly ttl: number | ((session: KoaSessionData) => number);
  private readonly touchAfterMs: number;
  private readonly disableTouch: boolean;
  private readonly strict: boolean;
  private readonly requests = new WeakMap<object, RequestState>();
  private readonly lastExtended = new Map<string, number>();

  constructor(options: VaultStoreOptions) {
    const { ttl, touchAfter, disableTouch, strict, client, ...connection } = options;
    if (client) {
      this.client = client;
    } else if (connection.baseUrl && connection.token) {
      this.client = createVaultClient(connection as VaultConnectionOptions);
    } else {
      throw new TypeError("VaultStore needs either `client` or `baseUrl` and `token`");
    }
    if (typeof ttl === "number" && !(ttl > 0))
      throw new TypeError("VaultStore `ttl` must be a positive number of seconds");
    if (touchAfter !== undefined && !(touchAfter >= 0)) {
      throw new TypeError("VaultStore `touchAfter` must be zero or a positive number of seconds");
    }
    this.ttl = ttl ?? DEFAULT_TTL_SECONDS;
    this.touchAfterMs = (touchAfter ?? 0) * 1000;
    this.disableTouch = disableTouch ?? false;
    this.strict = strict ?? false;
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
    const state = this.stateOf(options.ctx);
    if (!isSessionId(key)) {
      if (state) state.key = undefined;
      return null;
    }
    let found: VaultSession<KoaSessionData> | null;
    try {
      found = await this.client.getSession<KoaSessionData>(key);
    } catch (error) {
      throw toStoreError(error);
    }
    if (!found) {
      if (state) Object.assign(state, { key: undefined, snapshot: undefined, expires: undefined, link: null });
      return null;
    }
    const snapshot = snapshotOf(found.data);
    if (state) Object.assign(state, { key, snapshot, expires: found.expires, link: found.usertoken });
    const data = dataOf(snapshot);
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
    if (!isSessionId(key)) throw new TypeError("session id must be 8 to 256 printable ASCII characters");
    try {
      await this.save(key, sess, maxAge, options);
    } catch (error) {
      throw toStoreError(error);
    }
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
    const state = this.stateOf(options.ctx);
    if (state?.key === key) Object.assign(state, { key: undefined, snapshot: undefined, expires: undefined });
    this.lastExtended.delete(key);
    if (!isSessionId(key)) return;
    try {
      await this.client.deleteSession(key);
    } catch (error) {
      throw toStoreError(error);
    }
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
    const session = ctx.session;
    if (!session) throw new TypeError("linkUser needs ctx.session: mount koa-session with this store first");
    this.ensureState(ctx).pendingLink = usertoken;
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
    const session = ctx.session;
    if (!session) throw new TypeError("signIn needs ctx.session: mount koa-session with this store first");
    this.ensureState(ctx).pendingLink = usertoken;
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
    const session = ctx.session;
    if (!session) throw new TypeError("regenerate needs ctx.session: mount koa-session with this store first");
    if (options.keepData === false) {
      for (const name of Object.keys(session)) {
        if (!name.startsWith("_") && name !== "isNew" && typeof session[name] !== "function") delete session[name];
      }
      const state = this.ensureState(ctx);
      state.link = null;
      state.pendingLink = undefined;
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
    const state = this.requests.get(ctx);
    if (!state) return null;
    return state.pendingLink !== undefined ? state.pendingLink : state.link;
  }

  /**
   * Lists a user's live sessions, most recently used first, found by any of the user's
   * identities. Builds "your devices" pages.
   *
   * @example
   * ```ts
   * const { rows, total } = await store.listUserSessions("login", "ada", { limit: 20 });
   * ```
   */
  listUserSessions(
    mode: Mode,
    identity: string,
    options?: { offset?: number; limit?: number; signal?: AbortSignal },
  ): Promise<{ rows: UserSessionRow[]; total: number }> {
    return this.client.listUserSessions<KoaSessionData>(mode, identity, options);
  }

  /**
   * Deletes every session of a user ("sign out everywhere"), except the ids in `keep`
   * ("everywhere else"). Each signed-out browser gets no session on its next request.
   *
   * @example
   * ```ts
   * const keep = ctx.session?.externalKey ? [ctx.session.externalKey] : [];
   * const { deleted } = await store.revokeUser("login", "ada", { keep });
   * ```
   */
  revokeUser(
    mode: Mode,
    identity: string,
    options?: { keep?: string[]; signal?: AbortSignal },
  ): Promise<{ deleted: number }> {
    return this.client.revokeUserSessions(mode, identity, options);
  }

  private stateOf(ctx: unknown): RequestState | undefined {
    if (typeof ctx !== "object" || ctx === null) return undefined;
    return this.ensureState(ctx);
  }

  private ensureState(ctx: object): RequestState {
    let state = this.requests.get(ctx);
    if (!state) {
      state = { link: null };
      this.requests.set(ctx, state);
    }
    return state;
  }

  private windowFor(data: KoaSessionData, maxAge: number | "session" | undefined, rolling: boolean, now: number) {
    if (maxAge === "session" || data[SESSION_COOKIE_KEY] === true) {
      const seconds = typeof this.ttl === "function" ? this.ttl(data) : this.ttl;
      if (!(seconds > 0)) throw new TypeError("VaultStore `ttl` must return a positive number of seconds");
      const slidingtime = toSlidingTime(seconds * 1000);
      return { options: { slidingtime }, expires: now + slidingMs(slidingtime), sliding: true } satisfies Window;
    }
    const lifetimeMs = (typeof maxAge === "number" ? maxAge : ONE_DAY_MS + KOA_STORE_SLACK_MS) - KOA_STORE_SLACK_MS;
    if (!(lifetimeMs > 0)) return null;
    const slidingtime = toSlidingTime(lifetimeMs);
    if (rolling)
      return { options: { slidingtime }, expires: now + slidingMs(slidingtime), sliding: true } satisfies Window;
    // Without rolling the cookie ends a fixed time after the last save; reads must not
    // extend the record past it, so the window also gets that absolute end.
    const finaltime = toFinalTime(now + lifetimeMs);
    return { options: { slidingtime, finaltime }, expires: finaltime * 1000, sliding: false } satisfies Window;
  }

  private async save(
    key: string,
    sess: KoaSessionData,
    maxAge: number | "session" | undefined,
    options: StoreSetOptions,
  ) {
    const now = Date.now();
    const state = this.stateOf(options.ctx);
    const data: KoaSessionData = { ...sess };
    delete data[EXPIRE_KEY];
    const window = this.windowFor(data, maxAge, options.rolling ?? false, now);
    if (window?.sliding) delete data[MAX_AGE_KEY];
    if (!window) {
      // The cookie is already expired: nothing to keep.
      await this.destroy(key, { ctx: options.ctx });
      return;
    }
    const snapshot = snapshotOf(data);
    const pendingLink = state?.pendingLink;
    const loaded = state?.key === key && state.snapshot ? state : undefined;

    if (!loaded) {
      // New to this request: a fresh session or a regenerated id (which inherits the link).
      const link = pendingLink !== undefined ? pendingLink : (state?.link ?? null);
      if (this.strict) assertNoPII(data);
      await this.client.upsertSession(key, data, { ...window.options, ...(link ? { usertoken: link } : {}) });
      this.remember(state, key, snapshot, window.expires, link, now);
      return;
    }

    const patch = diffSnapshots(loaded.snapshot as Snapshot, snapshot);
    if (!patch && pendingLink === undefined) {
      if (loaded.expires != null && Math.abs(loaded.expires - window.expires) <= coveredWithin(window)) return;
      if (window.sliding) {
        await this.touch(key, window, loaded, now);
        return;
      }
    }
    if (this.strict && patch) assertNoPII(patch.set);
    const written = await this.client.patchSession(key, patch ?? {}, {
      ...window.options,
      create: false,
      ...(pendingLink !== undefined ? { usertoken: pendingLink ?? "" } : {}),
    });
    if (written === null) {
      // Destroyed (logout, revoke) while this request held it: it stays destroyed.
      Object.assign(loaded, { key: undefined, snapshot: undefined, expires: undefined, pendingLink: undefined });
      return;
    }
    this.remember(state, key, snapshot, window.expires, pendingLink !== undefined ? pendingLink : loaded.link, now);
  }

  private async touch(key: string, window: Window, loaded: RequestState, now: number) {
    if (this.disableTouch) return;
    const last = this.lastExtended.get(key);
    if (last !== undefined && now - last < this.touchAfterMs) return;
    const touched = await this.client.touchSession(key, { slidingtime: window.options.slidingtime as string });
    if (touched === null) {
      Object.assign(loaded, { key: undefined, snapshot: undefined, expires: undefined });
      return;
    }
    loaded.expires = touched.expires;
    this.markExtended(key, now);
  }

  private remember(
    state: RequestState | undefined,
    key: string,
    snapshot: Snapshot,
    expires: number,
    link: string | null,
    now: number,
  ) {
    if (state) Object.assign(state, { key, snapshot, expires, link, pendingLink: undefined });
    this.markExtended(key, now);
  }

  private markExtended(key: string, now: number) {
    if (this.touchAfterMs === 0) return;
    this.lastExtended.delete(key);
    this.lastExtended.set(key, now);
    if (this.lastExtended.size > MAX_REMEMBERED_TOUCHES) {
      const oldest = this.lastExtended.keys().next().value;
      if (oldest !== undefined) this.lastExtended.delete(oldest);
    }
  }
}

/** How far a record's expiry may trail the one a refresh would set and still count as set. */
function coveredWithin(window: Window): number {
  const sliding = window.options.slidingtime;
  if (!window.sliding || sliding === undefined) return SAME_EXPIRY_MS;
  return Math.max(SAME_EXPIRY_MS, Math.min(slidingMs(sliding) * SLIDE_SHARE, MAX_SLIDE_LAG_MS));
}

import type { SessionStore } from "@fastify/session";
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
import type { Session } from "fastify";
import { toStoreError } from "./errors.js";
import { isSessionId } from "./session-id.js";
import { settle } from "./settle.js";
import { dataOf, diffSnapshots, type Snapshot, snapshotOf } from "./snapshot.js";
import { slidingMs, toFinalTime, toSlidingTime } from "./window.js";

/**
 * A session as the store sees it: its data plus the `cookie` @fastify/session keeps.
 *
 * @example
 * ```ts
 * const data: FastifySessionData = { views: 3, cookie: { originalMaxAge: 3_600_000, path: "/" } };
 * ```
 */
export type FastifySessionData = Record<string, unknown>;

/**
 * @fastify/session's callback for a store's `get`.
 *
 * @example
 * ```ts
 * const done: GetCallback = (err, session) => { if (err) throw err; };
 * ```
 */
export type GetCallback = Parameters<SessionStore["get"]>[1];
/**
 * @fastify/session's callback for a store's `set` and `destroy`.
 *
 * @example
 * ```ts
 * const done: StoreCallback = (err) => { if (err) throw err; };
 * ```
 */
export type StoreCallback = Parameters<SessionStore["set"]>[2];

/**
 * The part of @fastify/session's session object the helpers use.
 *
 * @example
 * ```ts
 * const session: FastifySessionLike = request.session;
 * ```
 */
export interface FastifySessionLike {
  readonly sessionId: string;
  save(): Promise<void>;
  regenerate(keys?: string[]): Promise<void>;
}

/**
 * The part of a Fastify request the helpers use: @fastify/session's `request.session`. Any
 * Fastify request with the plugin registered fits.
 *
 * @example
 * ```ts
 * app.post("/login", async (request: FastifyRequest) => store.signIn(request, token));
 * ```
 */
export interface SessionRequest {
  session: FastifySessionLike;
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
   * Lifetime in seconds of a session whose cookie has neither `maxAge` nor `expires` (a
   * browser-session cookie), or a function of the session returning it. It slides: every
   * request extends it. Default 86 400 (one day).
   */
  ttl?: number | ((session: FastifySessionData) => number);
  /**
   * Seconds during which a rolling save of an unchanged session is skipped after this
   * process wrote or extended it. Default 0: every such save the load has not already
   * covered extends the window (without sending data).
   */
  touchAfter?: number;
  /** Never extend the window on a rolling save of unchanged data; only writes do. Default false. */
  disableTouch?: boolean;
  /**
   * Refuse to write recognisable personal data (emails, phone numbers, card numbers): the
   * save fails with a `PIIError` naming the path, never the value. Default false.
   */
  strict?: boolean;
}

/**
 * Options of {@link VaultStore}: a ready `client`, or the settings to create one.
 *
 * @example
 * ```ts
 * const options: VaultStoreOptions = { baseUrl: "http://127.0.0.1:3000", token: "DEMO", touchAfter: 60 };
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
export type UserSessionRow = VaultSessionRow<FastifySessionData>;

/**
 * The key under which a loaded session carries the store's bookkeeping. Its value never
 * reaches JSON (so neither the vault nor @fastify/session's change detection sees it);
 * it is how a save knows what its own request loaded.
 *
 * @example
 * ```ts
 * const own = Object.keys(request.session).filter((key) => key !== "cookie" && key !== SESSION_STATE_KEY);
 * ```
 */
export const SESSION_STATE_KEY = "__sessionvault";

const DEFAULT_TTL_SECONDS = 86_400;
// Expiries this close together are the same to a window counted in whole seconds.
const SAME_EXPIRY_MS = 2_000;
// The vault slides a window on a read only when it moves by 1% of its length (at most a
// minute); a refresh that would move it by less is covered the same way.
const SLIDE_SHARE = 0.01;
const MAX_SLIDE_LAG_MS = 60_000;
// Bounds the memory the touchAfter bookkeeping may take on a busy process.
const MAX_REMEMBERED_TOUCHES = 10_000;

/**
 * What one request knows about its session. @fastify/session copies every enumerable key
 * of a loaded session (and the keys named in `regenerate(keys)`) onto the session object it
 * builds, so this travels with the session from `get` to `set`.
 */
class RequestState {
  constructor(
    readonly owner: VaultStore,
    /** The id loaded or last written; undefined after a miss or a destroy. */
    public sid: string | undefined,
    /** Its data as loaded or last written. */
    public snapshot: Snapshot | undefined,
    /** Its expiry as the vault last reported or this store last set. */
    public expires: number | null | undefined,
    /** The user it is linked to (carried over to a regenerated id). */
    public link: string | null,
  ) {}
  /** A link change asked for with {@link VaultStore.linkUser}, not yet written. */
  pendingLink: string | null | undefined = undefined;

  toJSON(): undefined {
    return undefined;
  }
}

/** The cookie fields @fastify/session keeps with a session (its `Cookie#toJSON`). */
interface CookieJSON {
  originalMaxAge?: number | null;
  expires?: string | Date | null;
  originalExpires?: string | null;
  [key: string]: unknown;
}

interface Window {
  options: WindowOptions;
  /** When the record expires if written now. */
  expires: number;
  /** Whether an unchanged save can be a touch (no absolute end to move). */
  sliding: boolean;
  /** The cookie as stored: its static attributes, and the end only when it is fixed. */
  cookie: CookieJSON;
}

/**
 * A @fastify/session store whose sessions live encrypted in a sessionvault vault.
 *
 * - The window follows the cookie: `cookie.maxAge` slides (every request extends it), a
 *   fixed `cookie.expires` is an absolute end, and `ttl` covers browser-session cookies.
 * - A session loaded in a request is saved as a patch of the top-level keys that request
 *   changed, so concurrent requests changing different keys both keep their change.
 * - @fastify/session saves every session on every request by default (`rolling: true`); an
 *   unchanged one is never re-sent: the load already slid the window, otherwise it is one
 *   `SessionTouch`, throttled by `touchAfter`.
 * - Every callback is called exactly once; vault failures reach Fastify as errors (a 5xx),
 *   never as a missing session.
 *
 * @example
 * ```ts
 * import Fastify from "fastify";
 * import fastifyCookie from "@fastify/cookie";
 * import fastifySession from "@fastify/session";
 * import { VaultStore } from "@sessionvault/fastify";
 *
 * const app = Fastify();
 * await app.register(fastifyCookie);
 * await app.register(fastifySession, {
 *   store: new VaultStore({ baseUrl: "http://127.0.0.1:3000", token: "DEMO" }),
 *   secret: process.env.SESSION_SECRET ?? "a secret of at least 32 characters!!",
 *   cookie: { maxAge: 3_600_000, secure: "auto" },
 * });
 * ```
 */
export class VaultStore implements SessionStore {
  /** The vault client this store uses; share it for users, tokens and admin calls. */
  readonly client: VaultClient;
  private readonly ttl: number | ((session: FastifySessionData) => number);
  private readonly touchAfterMs: number;
  private readonly disableTouch: boolean;
  private readonly strict: boolean;
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
   * @fastify/session's load. A missing or expired session (or an id that cannot be one)
   * is `null`; any vault failure is an error.
   *
   * @example
   * ```ts
   * store.get(sessionId, (err, session) => { if (err) return done(err); });
   * ```
   */
  get(sessionId: string, callback: GetCallback): void {
    settle(this.load(sessionId) as Promise<Session | null>, callback);
  }

  /**
   * @fastify/session's save: a patch of the keys changed since the session was loaded,
   * only a window extension when nothing changed, or the whole session when it is new. A
   * session destroyed by someone else meanwhile stays destroyed.
   *
   * @example
   * ```ts
   * store.set(sessionId, request.session, (err) => { if (err) return done(err); });
   * ```
   */
  set(sessionId: string, session: Session, callback: StoreCallback): void {
    settle(this.save(sessionId, session as unknown as FastifySessionData), callback);
  }

  /**
   * @fastify/session's destroy: deletes the session in the vault. Deleting a missing
   * session succeeds.
   *
   * @example
   * ```ts
   * store.destroy(sessionId, (err) => { if (err) return done(err); });
   * ```
   */
  destroy(sessionId: string, callback: StoreCallback): void {
    settle(this.remove(sessionId), callback);
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
   * await store.linkUser(request, token);
   * ```
   */
  async linkUser(request: SessionRequest, usertoken: string | null): Promise<void> {
    this.stateFor(request).pendingLink = usertoken;
    await request.session.save();
  }

  /**
   * Login in one step: a new session id (the pre-login id is deleted, so a planted id is
   * worthless), the data carried over, and the session linked to the user, written once.
   *
   * @example
   * ```ts
   * app.post("/login", async (request) => {
   *   const user = await store.client.getUser("login", request.body.login);
   *   request.session.set("login", request.body.login);
   *   await store.signIn(request, user.token);
   * });
   * ```
   */
  async signIn(request: SessionRequest, usertoken: string): Promise<void> {
    this.stateFor(request).pendingLink = usertoken;
    await request.session.regenerate(this.dataKeys(request.session));
  }

  /**
   * Gives the request a new session id and deletes the old one in the vault. With
   * `keepData: true` (the default) the data and the user link move to the new id; with
   * `keepData: false` the new session starts empty and unlinked (@fastify/session's own
   * `regenerate()`).
   *
   * @example
   * ```ts
   * await store.regenerate(request);                     // login: same data, new id
   * await store.regenerate(request, { keepData: false }); // switch user: nothing carried over
   * ```
   */
  async regenerate(request: SessionRequest, options: { keepData?: boolean } = {}): Promise<void> {
    if (options.keepData === false) {
      await request.session.regenerate();
      return;
    }
    this.stateFor(request);
    await request.session.regenerate(this.dataKeys(request.session));
  }

  /**
   * The vault token of the user the request's session is linked to, or `null`.
   *
   * @example
   * ```ts
   * if (!store.userToken(request)) return reply.code(401).send();
   * ```
   */
  userToken(request: SessionRequest): string | null {
    const state = this.ownState(request.session as unknown as FastifySessionData);
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
    return this.client.listUserSessions<FastifySessionData>(mode, identity, options);
  }

  /**
   * Deletes every session of a user ("sign out everywhere"), except the ids in `keep`
   * ("everywhere else"). Each signed-out browser gets no session on its next request.
   *
   * @example
   * ```ts
   * const { deleted } = await store.revokeUser("login", "ada", { keep: [request.session.sessionId] });
   * ```
   */
  revokeUser(
    mode: Mode,
    identity: string,
    options?: { keep?: string[]; signal?: AbortSignal },
  ): Promise<{ deleted: number }> {
    return this.client.revokeUserSessions(mode, identity, options);
  }

  private dataKeys(session: FastifySessionLike): string[] {
    return [...Object.keys(session).filter((key) => key !== "cookie"), SESSION_STATE_KEY];
  }

  private ownState(session: FastifySessionData): RequestState | undefined {
    const state = session[SESSION_STATE_KEY];
    return state instanceof RequestState && state.owner === this ? state : undefined;
  }

  private stateFor(request: SessionRequest): RequestState {
    const session = request.session as unknown as FastifySessionData;
    if (!session) throw new TypeError("needs request.session: register @fastify/session with this store first");
    let state = this.ownState(session);
    if (!state) {
      state = new RequestState(this, undefined, undefined, undefined, null);
      session[SESSION_STATE_KEY] = state;
    }
    return state;
  }

  private async load(sessionId: string): Promise<FastifySessionData | null> {
    if (!isSessionId(sessionId)) return null;
    let found: VaultSession<FastifySessionData> | null;
    try {
      found = await this.client.getSession<FastifySessionData>(sessionId);
    } catch (error) {
      throw toStoreError(error);
    }
    if (!found) return null;
    const snapshot = snapshotOf(found.data);
    const data = dataOf(snapshot);
    data.cookie = this.cookieOnLoad(data.cookie as CookieJSON | undefined, found);
    data[SESSION_STATE_KEY] = new RequestState(this, sessionId, snapshot, found.expires, found.usertoken);
    return data;
  }

  /** Rebuilds the cookie's lifetime from the vault record, the authority on expiry. */
  private cookieOnLoad(stored: CookieJSON | undefined, found: VaultSession<FastifySessionData>): CookieJSON {
    const cookie: CookieJSON = { ...stored };
    if (!("originalMaxAge" in cookie) && found.expires !== null) {
      // A maxAge cookie: its lifetime is the vault's sliding window.
      cookie.originalMaxAge = Math.max(1000, found.expires - found.lastused);
      cookie.expires = new Date(found.expires);
    } else if (typeof cookie.expires === "string") {
      cookie.expires = new Date(cookie.expires);
    }
    return cookie;
  }

  private windowFor(data: FastifySessionData, cookie: CookieJSON, now: number): Window | null {
    const { expires, originalExpires: _derived, originalMaxAge, ...attributes } = cookie;
    if (typeof originalMaxAge === "number") {
      if (!(originalMaxAge > 0)) return null;
      const slidingtime = toSlidingTime(originalMaxAge);
      // Neither the end nor the length is stored: both come back from the vault's window.
      return { options: { slidingtime }, expires: now + slidingMs(slidingtime), sliding: true, cookie: attributes };
    }
    const at = typeof expires === "string" ? Date.parse(expires) : Number.NaN;
    if (Number.isFinite(at)) {
      if (at <= now) return null;
      const finaltime = toFinalTime(at);
      return {
        options: { finaltime },
        expires: finaltime * 1000,
        sliding: false,
        cookie: { ...attributes, originalMaxAge: null, expires },
      };
    }
    const seconds = typeof this.ttl === "function" ? this.ttl(data) : this.ttl;
    if (!(seconds > 0)) throw new TypeError("VaultStore `ttl` must return a positive number of seconds");
    const slidingtime = toSlidingTime(seconds * 1000);
    return {
      options: { slidingtime },
      expires: now + slidingMs(slidingtime),
      sliding: true,
      cookie: { ...attributes, originalMaxAge: null },
    };
  }

  private async save(sessionId: string, session: FastifySessionData): Promise<void> {
    if (!isSessionId(sessionId)) throw new TypeError("session id must be 8 to 256 printable ASCII characters");
    const now = Date.now();
    const state = this.ownState(session);
    // Exactly what @fastify/session would serialise: the cookie through its toJSON, the
    // store's own state left out.
    const data = JSON.parse(JSON.stringify(session)) as FastifySessionData;
    const window = this.windowFor(data, (data.cookie ?? {}) as CookieJSON, now);
    try {
      if (!window) {
        // The cookie is already expired: nothing to keep.
        await this.remove(sessionId);
        return;
      }
      data.cookie = window.cookie;
      await this.write(sessionId, session, data, window, state, now);
    } catch (error) {
      throw toStoreError(error);
    }
  }

  private async write(
    sessionId: string,
    session: FastifySessionData,
    data: FastifySessionData,
    window: Window,
    state: RequestState | undefined,
    now: number,
  ) {
    const snapshot = snapshotOf(data);
    const pendingLink = state?.pendingLink;
    const loaded = state?.sid === sessionId && state.snapshot ? state : undefined;

    if (!loaded) {
      // New to this request: a fresh session or a regenerated id (which inherits the link).
      const link = pendingLink !== undefined ? pendingLink : (state?.link ?? null);
      if (this.strict) assertNoPII(data);
      await this.client.upsertSession(sessionId, data, { ...window.options, ...(link ? { usertoken: link } : {}) });
      this.remember(session, state, sessionId, snapshot, window.expires, link, now);
      return;
    }

    const patch = diffSnapshots(loaded.snapshot as Snapshot, snapshot);
    if (!patch && pendingLink === undefined) {
      if (loaded.expires != null && Math.abs(loaded.expires - window.expires) <= coveredWithin(window)) return;
      if (window.sliding) {
        await this.touch(sessionId, window, loaded, now);
        return;
      }
    }
    if (this.strict && patch) assertNoPII(patch.set);
    const written = await this.client.patchSession(sessionId, patch ?? {}, {
      ...window.options,
      create: false,
      ...(pendingLink !== undefined ? { usertoken: pendingLink ?? "" } : {}),
    });
    if (written === null) {
      // Destroyed (logout, revoke) while this request held it: it stays destroyed.
      Object.assign(loaded, { sid: undefined, snapshot: undefined, expires: undefined, pendingLink: undefined });
      return;
    }
    this.remember(session, loaded, sessionId, snapshot, window.expires, pendingLink ?? loaded.link, now);
  }

  private async touch(sessionId: string, window: Window, loaded: RequestState, now: number) {
    if (this.disableTouch) return;
    const last = this.lastExtended.get(sessionId);
    if (last !== undefined && now - last < this.touchAfterMs) return;
    const touched = await this.client.touchSession(sessionId, { slidingtime: window.options.slidingtime as string });
    if (touched === null) {
      Object.assign(loaded, { sid: undefined, snapshot: undefined, expires: undefined });
      return;
    }
    loaded.expires = touched.expires;
    this.markExtended(sessionId, now);
  }

  private remember(
    session: FastifySessionData,
    state: RequestState | undefined,
    sessionId: string,
    snapshot: Snapshot,
    expires: number,
    link: string | null,
    now: number,
  ) {
    const current = state ?? new RequestState(this, sessionId, snapshot, expires, link);
    Object.assign(current, { sid: sessionId, snapshot, expires, link, pendingLink: undefined });
    // Later saves of the same session object in this request diff against this write.
    if (session[SESSION_STATE_KEY] !== current) session[SESSION_STATE_KEY] = current;
    this.markExtended(sessionId, now);
  }

  private async remove(sessionId: string): Promise<void> {
    this.lastExtended.delete(sessionId);
    if (!isSessionId(sessionId)) return;
    try {
      await this.client.deleteSession(sessionId);
    } catch (error) {
      throw toStoreError(error);
    }
  }

  private markExtended(sessionId: string, now: number) {
    if (this.touchAfterMs === 0) return;
    this.lastExtended.delete(sessionId);
    this.lastExtended.set(sessionId, now);
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

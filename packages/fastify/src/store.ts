import type { SessionStore } from "@fastify/session";
import type { Mode, VaultClient, VaultSessionRow } from "@sessionvault/client";
import { createNodeFetch } from "@sessionvault/client/node";
import {
  cookieWindow,
  type LoadedSession,
  SessionEngine,
  SessionState,
  type StoreBehaviour,
  type StoreConnectionOptions,
  type StoreOptions,
  ttlSeconds,
} from "@sessionvault/session";
import type { Session } from "fastify";

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
 * const connection: VaultConnectionOptions = { baseUrl: "http://127.0.0.1:4700", token: "DEMO", timeoutMs: 2_000 };
 * ```
 */
export type VaultConnectionOptions = StoreConnectionOptions;

/**
 * How the store behaves; shared by both ways of connecting. `ttl` is the lifetime of a
 * cookie with neither `maxAge` nor `expires`; `touchAfter` throttles rolling saves of
 * unchanged sessions.
 *
 * @example
 * ```ts
 * const behaviour: VaultStoreBehaviour = { ttl: 1_800, touchAfter: 60, strict: true };
 * ```
 */
export type VaultStoreBehaviour = StoreBehaviour<FastifySessionData>;

/**
 * Options of {@link VaultStore}: a ready `client`, or the settings to create one.
 *
 * @example
 * ```ts
 * const options: VaultStoreOptions = { baseUrl: "http://127.0.0.1:4700", token: "DEMO", touchAfter: 60 };
 * ```
 */
export type VaultStoreOptions = StoreOptions<FastifySessionData>;

/**
 * A user's live session as {@link VaultStore.listSessions} returns it.
 *
 * @example
 * ```ts
 * const { rows }: { rows: UserSessionRow[] } = await store.listSessions("login", "ada");
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

/** The cookie fields @fastify/session keeps with a session (its `Cookie#toJSON`). */
interface CookieJSON {
  originalMaxAge?: number | null;
  expires?: string | Date | null;
  originalExpires?: string | null;
  [key: string]: unknown;
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
 *   store: new VaultStore({ baseUrl: "http://127.0.0.1:4700", token: "DEMO" }),
 *   secret: process.env.SESSION_SECRET ?? "a secret of at least 32 characters!!",
 *   cookie: { maxAge: 3_600_000, secure: "auto" },
 * });
 * ```
 */
export class VaultStore implements SessionStore {
  /** The vault client this store uses; share it for users, tokens and admin calls. */
  readonly client: VaultClient;
  private readonly core: SessionEngine<FastifySessionData>;

  constructor(options: VaultStoreOptions) {
    this.core = new SessionEngine(options, { fetch: createNodeFetch() });
    this.client = this.core.client;
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
    settle(this.core.destroy(sessionId), callback);
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
    this.core.linkUser(this.stateFor(request), usertoken);
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
    this.core.linkUser(this.stateFor(request), usertoken);
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
    return this.core.userToken(this.ownState(request.session as unknown as FastifySessionData));
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
    return this.core.listSessions<FastifySessionData>(mode, identity, options);
  }

  /**
   * Deletes every session of a user ("sign out everywhere"), except the ids in `keep`
   * ("everywhere else"). Each signed-out browser gets no session on its next request.
   *
   * @example
   * ```ts
   * const { deleted } = await store.revokeSessions("login", "ada", { keep: [request.session.sessionId] });
   * ```
   */
  revokeSessions(
    mode: Mode,
    identity: string,
    options?: { keep?: string[]; signal?: AbortSignal },
  ): Promise<{ deleted: number }> {
    return this.core.revokeSessions(mode, identity, options);
  }

  private dataKeys(session: FastifySessionLike): string[] {
    return [...Object.keys(session).filter((key) => key !== "cookie"), SESSION_STATE_KEY];
  }

  private ownState(session: FastifySessionData): SessionState | undefined {
    const state = session[SESSION_STATE_KEY];
    return state instanceof SessionState && state.owner === this ? state : undefined;
  }

  private stateFor(request: SessionRequest): SessionState {
    const session = request.session as unknown as FastifySessionData;
    if (!session) throw new TypeError("needs request.session: register @fastify/session with this store first");
    let state = this.ownState(session);
    if (!state) {
      state = new SessionState(this);
      session[SESSION_STATE_KEY] = state;
    }
    return state;
  }

  private async load(sessionId: string): Promise<FastifySessionData | null> {
    const state = new SessionState(this);
    const found = await this.core.load(sessionId, state);
    if (!found) return null;
    const data = found.data;
    data.cookie = cookieOnLoad(data.cookie as CookieJSON | undefined, found);
    data[SESSION_STATE_KEY] = state;
    return data;
  }

  private async save(sessionId: string, session: FastifySessionData): Promise<void> {
    // Exactly what @fastify/session would serialise: the cookie through its toJSON, the
    // store's own state left out.
    const data = JSON.parse(JSON.stringify(session)) as FastifySessionData;
    const { expires, originalExpires: _derived, originalMaxAge, ...attributes } = (data.cookie ?? {}) as CookieJSON;
    const fixedEnd = typeof originalMaxAge !== "number" && typeof expires === "string";
    const window = cookieWindow(
      {
        maxAgeMs: originalMaxAge,
        expires: fixedEnd ? expires : undefined,
        ttlSeconds: typeof originalMaxAge === "number" || fixedEnd ? 1 : ttlSeconds(this.core.ttl, data),
      },
      Date.now(),
    );
    // Stored: the cookie's static attributes, and its end only when that is fixed; a maxAge
    // cookie's end and length come back from the vault's window.
    data.cookie =
      typeof originalMaxAge === "number"
        ? attributes
        : fixedEnd
          ? { ...attributes, originalMaxAge: null, expires }
          : { ...attributes, originalMaxAge: null };
    let state = this.ownState(session);
    if (!state) {
      state = new SessionState(this);
      session[SESSION_STATE_KEY] = state;
    }
    await this.core.save(sessionId, data, window, state);
  }
}

/** Rebuilds the cookie's lifetime from the vault record, the authority on expiry. */
function cookieOnLoad(stored: CookieJSON | undefined, found: LoadedSession): CookieJSON {
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

/** A Node-style callback as @fastify/session passes them. */
type Callback<T> = (err: Error | null, value?: T) => void;

/**
 * Calls `callback` exactly once with the outcome of `work`, on a fresh tick outside the
 * promise chain, so an exception thrown by the callback can never make it run twice.
 */
function settle<T>(work: Promise<T>, callback: Callback<T>): void {
  work.then(
    (value) => process.nextTick(callback, null, value),
    (reason: unknown) => {
      const error = reason instanceof Error ? reason : new Error("session store operation failed", { cause: reason });
      process.nextTick(callback, error);
    },
  );
}

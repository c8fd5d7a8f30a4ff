import type { Mode, VaultClient, VaultSessionRow } from "@sessionvault/client";
import { createNodeFetch } from "@sessionvault/client/node";
import {
  cookieWindow,
  SessionEngine,
  SessionState,
  type StoreBehaviour,
  type StoreConnectionOptions,
  type StoreOptions,
  type StoreWindow,
  ttlSeconds,
} from "@sessionvault/session";
import session from "express-session";
import { regenerateKeepingData } from "./helpers.js";
import { type CookieLike, cookieSecondsLeft } from "./lifetime.js";
import { type Callback, settle } from "./settle.js";

/**
 * express-session's session data, as the store sees it (augment `SessionData` to type it).
 *
 * @example
 * ```ts
 * declare module "express-session" {
 *   interface SessionData { user: string }
 * }
 * const ttl = (sess: StoredSession) => (sess.user ? 3600 : 600);
 * ```
 */
export type StoredSession = session.SessionData;

/**
 * The request shape the helpers need: what express-session puts on `req`. An express
 * `Request` behind the session middleware is one.
 *
 * @example
 * ```ts
 * app.post("/login", async (req: RequestWithSession, res) => {
 *   await regenerateKeepingData(req);
 * });
 * ```
 */
export interface RequestWithSession {
  session: session.Session & Partial<session.SessionData>;
  sessionID: string;
}

/**
 * Connection settings passed to `createVaultClient` when no `client` is given.
 *
 * @example
 * ```ts
 * const connection: VaultConnectionOptions = { baseUrl: "https://vault.internal", token: process.env.VAULT_TOKEN!, timeoutMs: 2000 };
 * ```
 */
export type VaultConnectionOptions = StoreConnectionOptions;

/**
 * How the store behaves; shared by both ways of connecting. `ttl` is the lifetime of a
 * cookie without `maxAge`/`expires`; `touchAfter` throttles `touch`.
 *
 * @example
 * ```ts
 * const behaviour: VaultStoreBehaviour = { ttl: 1800, touchAfter: 60, strict: true };
 * ```
 */
export type VaultStoreBehaviour = StoreBehaviour<StoredSession>;

/**
 * Options of {@link VaultStore}: a ready `client`, or the settings to create one.
 *
 * @example
 * ```ts
 * const options: VaultStoreOptions = { baseUrl: "http://127.0.0.1:4700", token: "DEMO", ttl: 1800, touchAfter: 60 };
 * ```
 */
export type VaultStoreOptions = StoreOptions<StoredSession>;

/**
 * A user's live session as {@link VaultStore.listSessions} returns it.
 *
 * @example
 * ```ts
 * const { rows }: { rows: UserSessionRow[] } = await store.listSessions("login", "ada");
 * const devices = rows.map((row) => ({ id: row.sessionuuid, lastUsed: new Date(row.lastused) }));
 * ```
 */
export type UserSessionRow = VaultSessionRow<Partial<StoredSession>>;

/**
 * An express-session store whose sessions live encrypted in a sessionvault vault.
 *
 * - `get`/`set`/`destroy`/`touch` map onto the vault; the window follows the cookie
 *   (`expires`/`maxAge`), else `ttl`.
 * - A session loaded in a request is saved as a patch of the top-level keys that request
 *   changed, so concurrent requests changing different keys both keep their change.
 * - `touch` extends the window without sending data, at most once per `touchAfter` seconds,
 *   and not at all when the request's own load already slid the window as far.
 * - Vault failures reach express as errors (a 5xx), never as a missing session; a refusal
 *   (wrong token, oversized session) is a 500 `SessionStoreError`, never the vault's status.
 * - No `all`, `length` or `clear`: the vault lists sessions per user, never every user's.
 *
 * @example
 * ```ts
 * import express from "express";
 * import { VaultStore, vaultSession } from "@sessionvault/express";
 *
 * const store = new VaultStore({ baseUrl: "http://127.0.0.1:4700", token: "DEMO" });
 * const app = express();
 * app.use(vaultSession({ store, secret: process.env.SESSION_SECRET ?? "dev secret", cookie: { maxAge: 3_600_000 } }));
 * ```
 */
export class VaultStore extends session.Store {
  /** The vault client this store uses; share it for users, tokens and admin calls. */
  readonly client: VaultClient;
  private readonly core: SessionEngine<StoredSession>;
  /** What each request loaded, keyed by the loaded data and then by its Session. */
  private readonly states = new WeakMap<object, SessionState>();

  constructor(options: VaultStoreOptions) {
    super();
    this.core = new SessionEngine(options, { fetch: createNodeFetch(), frameworkKeys: ["cookie"] });
    this.client = this.core.client;
  }

  /**
   * Loads a session. A missing or expired session is `null`; any vault failure is an error.
   *
   * @example
   * ```ts
   * store.get(req.sessionID, (err, data) => { if (err) return next(err); });
   * ```
   */
  override get(sid: string, callback: Callback<StoredSession | null>): void {
    settle(this, this.read(sid), callback);
  }

  /**
   * Saves a session: a patch of the keys changed since it was loaded, or the whole session
   * when it is new. A session destroyed by someone else meanwhile stays destroyed.
   *
   * @example
   * ```ts
   * req.session.save((err) => { if (err) return next(err); });
   * ```
   */
  override set(sid: string, sess: StoredSession, callback?: Callback<void>): void {
    settle(this, this.write(sid, sess), callback);
  }

  /**
   * Deletes a session in the vault. Deleting a missing session succeeds.
   *
   * @example
   * ```ts
   * req.session.destroy((err) => { if (err) return next(err); res.redirect("/"); });
   * ```
   */
  override destroy(sid: string, callback?: Callback<void>): void {
    settle(this, this.remove(sid), callback);
  }

  /**
   * Extends the session's window without sending its data; skipped within `touchAfter`
   * seconds of this process's last write or touch, when the load in the same request already
   * slid the vault's window as far, or entirely with `disableTouch`.
   *
   * @example
   * ```ts
   * store.touch(req.sessionID, req.session, (err) => { if (err) return next(err); });
   * ```
   */
  override touch(sid: string, sess: StoredSession, callback?: Callback<void>): void {
    settle(this, this.extend(sid, sess), callback);
  }

  /**
   * express-session builds `req.session` here after a load; the store remembers what was
   * loaded so that the save can send only what this request changed.
   *
   * @example
   * ```ts
   * // called by express-session; not needed in application code
   * ```
   */
  override createSession(
    req: Parameters<session.Store["createSession"]>[0],
    sess: StoredSession,
  ): session.Session & StoredSession {
    const state = this.states.get(sess);
    const created = super.createSession(req, sess);
    if (state) this.states.set(created, state);
    return created;
  }

  /**
   * Saves the request's session now, linked to the user whose vault token is `usertoken`
   * (`null` unlinks it). The link lives in the vault record, never in the session data;
   * later saves keep it. Call it at login, after {@link regenerateKeepingData}.
   *
   * @example
   * ```ts
   * const { token } = await store.client.createUser({ login: "ada" });
   * await regenerateKeepingData(req);
   * req.session.user = "ada";
   * await store.linkUser(req, token);
   * ```
   */
  async linkUser(req: RequestWithSession, usertoken: string | null): Promise<void> {
    const current = req.session;
    if (!current) throw new TypeError("linkUser needs req.session: mount the session middleware first");
    this.core.linkUser(this.stateOf(current), usertoken);
    await new Promise<void>((resolve, reject) => {
      current.save((err?: unknown) => (err ? reject(err) : resolve()));
    });
  }

  /**
   * Login in one step: a new session id (the pre-login id is deleted, so a planted id is
   * worthless), the data carried over, and the session linked to the user, written once.
   *
   * @example
   * ```ts
   * app.post("/login", async (req, res) => {
   *   const user = await store.client.getUser("login", req.body.login);
   *   req.session.user = req.body.login;
   *   await store.signIn(req, user.token);
   *   res.json({ ok: true });
   * });
   * ```
   */
  async signIn(req: RequestWithSession, usertoken: string): Promise<void> {
    await regenerateKeepingData(req);
    await this.linkUser(req, usertoken);
  }

  /**
   * The vault token of the user the request's session is linked to, or `null`.
   *
   * @example
   * ```ts
   * if (!store.userToken(req)) return res.sendStatus(401);
   * ```
   */
  userToken(req: RequestWithSession): string | null {
    return this.core.userToken(req.session ? this.states.get(req.session) : undefined);
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
    return this.core.listSessions<Partial<StoredSession>>(mode, identity, options);
  }

  /**
   * Deletes every session of a user ("sign out everywhere"), except the ids in `keep`
   * ("everywhere else"). Each signed-out browser gets no session on its next request.
   *
   * @example
   * ```ts
   * const { deleted } = await store.revokeSessions("login", "ada", { keep: [req.sessionID] });
   * ```
   */
  revokeSessions(
    mode: Mode,
    identity: string,
    options?: { keep?: string[]; signal?: AbortSignal },
  ): Promise<{ deleted: number }> {
    return this.core.revokeSessions(mode, identity, options);
  }

  private async read(sid: string): Promise<StoredSession | null> {
    const state = new SessionState(this);
    const found = await this.core.load(sid, state);
    if (!found) return null;
    const data = found.data;
    // A record written by another framework has no express cookie; express-session needs one.
    if (typeof data.cookie !== "object" || data.cookie === null) data.cookie = {};
    this.states.set(data, state);
    return data as unknown as StoredSession;
  }

  private async write(sid: string, sess: StoredSession): Promise<void> {
    const state = this.stateOf(sess);
    const data = JSON.parse(JSON.stringify(sess)) as Record<string, unknown>;
    await this.core.save(sid, data, this.windowOf(sess), state);
  }

  private async extend(sid: string, sess: StoredSession): Promise<void> {
    await this.core.touch(sid, this.windowOf(sess), this.states.get(sess));
  }

  private async remove(sid: string): Promise<void> {
    await this.core.destroy(sid);
  }

  /** The window the cookie asks for: what is left of it, sliding, else `ttl`. */
  private windowOf(sess: StoredSession): StoreWindow | null {
    const now = Date.now();
    const seconds = cookieSecondsLeft(sess.cookie as CookieLike | undefined, now);
    return cookieWindow(
      {
        maxAgeMs: seconds === undefined ? undefined : seconds * 1000,
        ttlSeconds: seconds === undefined ? ttlSeconds(this.core.ttl, sess) : 1,
      },
      now,
    );
  }

  private stateOf(sess: object): SessionState {
    let state = this.states.get(sess);
    if (!state) {
      state = new SessionState(this);
      this.states.set(sess, state);
    }
    return state;
  }
}

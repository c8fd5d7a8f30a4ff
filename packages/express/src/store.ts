import {
  createVaultClient,
  isVaultError,
  type Mode,
  type VaultClient,
  type VaultClientOptions,
  type VaultSessionRow,
} from "@sessionvault/client";
import { assertNoPII } from "@sessionvault/tokenize/detect";
import session from "express-session";
import { type CookieLike, cookieSecondsLeft, toSlidingTime } from "./lifetime.js";
import { createNodeFetch } from "./node-fetch.js";
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
export type VaultConnectionOptions = Pick<
  VaultClientOptions,
  "baseUrl" | "token" | "tenant" | "timeoutMs" | "retry" | "fetch" | "headers"
>;

/**
 * How the store behaves; shared by both ways of connecting.
 *
 * @example
 * ```ts
 * const behaviour: VaultStoreBehaviour = { ttl: 1800, touchAfter: 60, strict: true };
 * ```
 */
export interface VaultStoreBehaviour {
  /**
   * Lifetime in seconds of a session whose cookie has no `maxAge`/`expires` (a browser-session
   * cookie), or a function of the session returning it. Default 86 400 (one day).
   */
  ttl?: number | ((session: StoredSession) => number);
  /**
   * Seconds during which `touch` is skipped after this process wrote or touched the session.
   * Default 0: every touch extends the window (without sending data).
   */
  touchAfter?: number;
  /** Never extend the window from `touch`; only writes do. Default false. */
  disableTouch?: boolean;
  /**
   * Refuse to write recognisable personal data (emails, phone numbers, card numbers): the
   * write fails with a `PIIError` naming the path. Default false.
   */
  strict?: boolean;
}

/**
 * Options of {@link VaultStore}: a ready `client`, or the settings to create one.
 *
 * @example
 * ```ts
 * const options: VaultStoreOptions = { baseUrl: "http://127.0.0.1:3000", token: "DEMO", ttl: 1800, touchAfter: 60 };
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
export type UserSessionRow = VaultSessionRow<Partial<StoredSession>>;

const DEFAULT_TTL_SECONDS = 86_400;
// Bounds the memory the touchAfter bookkeeping may take on a busy process.
const MAX_REMEMBERED_TOUCHES = 10_000;
// Whole-second windows and the vault's one-second touch granularity: a read that left the
// window this close to what a touch would set makes that touch redundant.
const COALESCE_SLACK_MS = 1_000;
const CONTENTION_RETRIES = 8;
const CONTENTION_BASE_DELAY_MS = 4;
const CONTENTION_MAX_DELAY_MS = 200;

/** JSON text of each top-level key, as last loaded or saved in this request. */
type Snapshot = Map<string, string>;

/**
 * An express-session store whose sessions live encrypted in a sessionvault vault.
 *
 * - `get`/`set`/`destroy`/`touch` map onto the vault; the window follows the cookie
 *   (`expires`/`maxAge`), else `ttl`.
 * - A session loaded in a request is saved as a patch of the top-level keys that request
 *   changed, so concurrent requests changing different keys both keep their change.
 * - `touch` extends the window without sending data, at most once per `touchAfter` seconds,
 *   and not at all when the request's own load already slid the window as far.
 * - Vault failures reach express as errors (a 5xx), never as a missing session.
 * - No `all`, `length` or `clear`: the vault lists sessions per user, never every user's.
 *
 * @example
 * ```ts
 * import express from "express";
 * import { VaultStore, vaultSession } from "@sessionvault/express";
 *
 * const store = new VaultStore({ baseUrl: "http://127.0.0.1:3000", token: "DEMO" });
 * const app = express();
 * app.use(vaultSession({ store, secret: process.env.SESSION_SECRET ?? "dev secret", cookie: { maxAge: 3_600_000 } }));
 * ```
 */
export class VaultStore extends session.Store {
  /** The vault client this store uses; share it for users, tokens and admin calls. */
  readonly client: VaultClient;
  private readonly ttl: number | ((session: StoredSession) => number);
  private readonly touchAfterMs: number;
  private readonly disableTouch: boolean;
  private readonly strict: boolean;
  private readonly loaded = new WeakMap<object, Snapshot>();
  private readonly pendingLinks = new WeakMap<object, string | null>();
  private readonly lastExtended = new Map<string, number>();
  /** Window (ms) the vault reported when it served the load, keyed by the loaded data and then its Session. */
  private readonly readWindows = new WeakMap<object, number | null>();

  constructor(options: VaultStoreOptions) {
    super();
    const { ttl, touchAfter, disableTouch, strict, client, ...connection } = options;
    if (client) {
      this.client = client;
    } else if (connection.baseUrl && connection.token) {
      const settings = connection as VaultConnectionOptions;
      this.client = createVaultClient({ ...settings, fetch: settings.fetch ?? createNodeFetch() });
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
    const snapshot = snapshotOf(sess);
    const readWindow = this.readWindows.get(sess);
    const created = super.createSession(req, sess);
    this.loaded.set(created, snapshot);
    if (readWindow !== undefined) this.readWindows.set(created, readWindow);
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
    this.pendingLinks.set(current, usertoken);
    await new Promise<void>((resolve, reject) => {
      current.save((err?: unknown) => (err ? reject(err) : resolve()));
    });
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
    return this.client.listUserSessions<Partial<StoredSession>>(mode, identity, options);
  }

  /**
   * Deletes every session of a user ("sign out everywhere"), except the ids in `keep`
   * ("everywhere else"). Each signed-out browser gets no session on its next request.
   *
   * @example
   * ```ts
   * const { deleted } = await store.revokeUser("login", "ada", { keep: [req.sessionID] });
   * ```
   */
  revokeUser(
    mode: Mode,
    identity: string,
    options?: { keep?: string[]; signal?: AbortSignal },
  ): Promise<{ deleted: number }> {
    return this.client.revokeUserSessions(mode, identity, options);
  }

  private async read(sid: string): Promise<StoredSession | null> {
    const found = await this.client.getSession<Record<string, unknown>>(sid);
    if (!found) return null;
    const data = found.data;
    // A record written by another framework has no express cookie; express-session needs one.
    if (typeof data.cookie !== "object" || data.cookie === null) data.cookie = {};
    // The read itself slid the vault's window (both times are the vault's clock).
    this.readWindows.set(data, found.expires === null || !found.lastused ? null : found.expires - found.lastused);
    return data as unknown as StoredSession;
  }

  private async write(sid: string, sess: StoredSession): Promise<void> {
    const now = Date.now();
    const seconds = this.secondsLeft(sess, now);
    if (seconds <= 0) {
      // The browser has already dropped this cookie; keeping the record would only leak it.
      await this.remove(sid);
      return;
    }
    const current = snapshotOf(sess);
    const previous = this.loaded.get(sess);
    const hasLink = this.pendingLinks.has(sess);
    const usertoken = hasLink ? this.pendingLinks.get(sess) : undefined;
    const slidingtime = toSlidingTime(seconds);
    const linkOption = hasLink ? { usertoken: usertoken ?? null } : {};

    if (previous === undefined) {
      const data = parseEntries(current);
      if (this.strict) assertNoPII(withoutCookie(data));
      await retryContention(() => this.client.upsertSession(sid, data, { slidingtime, ...linkOption }));
    } else {
      const changed = new Map([...current].filter(([key, json]) => previous.get(key) !== json));
      const set = parseEntries(changed);
      if (this.strict) assertNoPII(withoutCookie(set));
      const unset = [...previous.keys()].filter((key) => !current.has(key));
      const patch = unset.length > 0 ? { set, unset } : { set };
      // create: false — a session revoked or destroyed while this request held it stays gone.
      const written = await retryContention(() =>
        this.client.patchSession(sid, patch, { slidingtime, create: false, ...linkOption }),
      );
      if (written === null) {
        this.loaded.delete(sess);
        this.forget(sid);
        return;
      }
    }
    this.loaded.set(sess, current);
    if (hasLink) this.pendingLinks.delete(sess);
    this.remember(sid, now);
  }

  private async extend(sid: string, sess: StoredSession): Promise<void> {
    if (this.disableTouch) return;
    const now = Date.now();
    const seconds = this.secondsLeft(sess, now);
    if (seconds <= 0) return;
    if (this.touchAfterMs > 0) {
      const last = this.lastExtended.get(sid);
      if (last !== undefined && now - last < this.touchAfterMs) return;
    }
    // express-session touches right after the load of an unchanged session; when that load
    // already slid the vault's window as far as the touch would, a second round trip is waste.
    const readWindow = this.readWindows.get(sess);
    if (readWindow !== undefined) {
      this.readWindows.delete(sess);
      const slackMs = Math.max(COALESCE_SLACK_MS, this.touchAfterMs);
      if (readWindow !== null && readWindow >= seconds * 1000 - slackMs) {
        this.remember(sid, now);
        return;
      }
    }
    const touched = await this.client.touchSession(sid, { slidingtime: toSlidingTime(seconds) });
    if (touched) this.remember(sid, now);
    else this.forget(sid);
  }

  private async remove(sid: string): Promise<void> {
    this.forget(sid);
    await this.client.deleteSession(sid);
  }

  private secondsLeft(sess: StoredSession, now: number): number {
    const fromCookie = cookieSecondsLeft(sess.cookie as CookieLike | undefined, now);
    if (fromCookie !== undefined) return fromCookie;
    if (typeof this.ttl !== "function") return this.ttl;
    const seconds = this.ttl(sess);
    if (!(seconds > 0)) throw new TypeError("VaultStore `ttl` function must return a positive number of seconds");
    return seconds;
  }

  private remember(sid: string, now: number): void {
    if (this.touchAfterMs === 0) return;
    this.lastExtended.delete(sid);
    this.lastExtended.set(sid, now);
    if (this.lastExtended.size > MAX_REMEMBERED_TOUCHES) {
      const oldest = this.lastExtended.keys().next();
      if (!oldest.done) this.lastExtended.delete(oldest.value);
    }
  }

  private forget(sid: string): void {
    this.lastExtended.delete(sid);
  }
}

/**
 * Runs a write again when the vault reports that too many writers raced for the same session
 * (409 without a version check). Our writes carry no version and assign absolute values, so
 * repeating one is safe; giving up would turn a busy session into a 5xx.
 */
async function retryContention<T>(write: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (!isVaultError(error) || error.code !== "conflict" || attempt >= CONTENTION_RETRIES) throw error;
      // Full jitter spreads the racing writers apart.
      const cap = Math.min(CONTENTION_MAX_DELAY_MS, CONTENTION_BASE_DELAY_MS * 2 ** attempt);
      await new Promise((resolve) => setTimeout(resolve, Math.random() * cap));
    }
  }
}

function snapshotOf(sess: object): Snapshot {
  const snapshot: Snapshot = new Map();
  for (const [key, value] of Object.entries(sess)) {
    const json = JSON.stringify(value);
    // JSON drops undefined and functions; so does the stored record.
    if (json !== undefined) snapshot.set(key, json);
  }
  return snapshot;
}

function parseEntries(entries: Snapshot): Record<string, unknown> {
  return Object.fromEntries([...entries].map(([key, json]) => [key, JSON.parse(json) as unknown]));
}

function withoutCookie(data: Record<string, unknown>): Record<string, unknown> {
  const { cookie: _cookie, ...rest } = data;
  return rest;
}

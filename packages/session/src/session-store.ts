import {
  createVaultClient,
  type Mode,
  type VaultClient,
  type VaultClientOptions,
  type VaultSessionRow,
} from "@sessionvault/client";
import { assertNoPII } from "@sessionvault/tokenize/detect";
import { SessionError, SessionErrorCode, toSessionError } from "./errors.js";
import { isSessionId } from "./session-id.js";
import { diffSnapshots, type Snapshot, snapshotOf } from "./snapshot.js";
import { TouchThrottle, windowCovered } from "./touch.js";
import type { StoreWindow } from "./window.js";

/**
 * Connection settings passed to `createVaultClient` when no `client` is given.
 *
 * @example
 * ```ts
 * const connection: StoreConnectionOptions = { baseUrl: "http://127.0.0.1:4700", token: "DEMO", timeoutMs: 2_000 };
 * ```
 */
export type StoreConnectionOptions = Pick<
  VaultClientOptions,
  "baseUrl" | "token" | "tenant" | "timeoutMs" | "retry" | "fetch" | "headers"
>;

/**
 * How a session store behaves, whatever the framework. `S` is the framework's session.
 *
 * @example
 * ```ts
 * const behaviour: StoreBehaviour<Record<string, unknown>> = { ttl: 1_800, touchAfter: 60, strict: true };
 * ```
 */
export interface StoreBehaviour<S> {
  /**
   * Lifetime in seconds of a session with a browser-session cookie, or a function of the
   * session returning it. It slides: every request extends it. Default 86 400 (one day).
   */
  ttl?: number | ((session: S) => number);
  /**
   * Seconds during which extending an unchanged session is skipped after this process
   * wrote or extended it. Default 0: every extension the load has not already covered is
   * sent (without the data).
   */
  touchAfter?: number;
  /** Never extend the window of an unchanged session; only writes do. Default false. */
  disableTouch?: boolean;
  /**
   * Refuse to write recognisable personal data (emails, phone numbers, card numbers): the
   * save fails with a `pii_refused` {@link SessionError} naming the path, never the value.
   * Default false.
   */
  strict?: boolean;
}

/**
 * A store's options: its behaviour and a ready `client`, or the settings to create one.
 *
 * @example
 * ```ts
 * const options: StoreOptions<Record<string, unknown>> = { baseUrl: "http://127.0.0.1:4700", token: "DEMO", ttl: 1800 };
 * ```
 */
export type StoreOptions<S> = StoreBehaviour<S> &
  (
    | ({ client: VaultClient } & { [K in keyof StoreConnectionOptions]?: never })
    | (StoreConnectionOptions & { client?: never })
  );

/**
 * How an adapter wires the engine into its framework.
 *
 * @example
 * ```ts
 * const wiring: StoreWiring = { fetch: createNodeFetch(), frameworkKeys: ["cookie"] };
 * ```
 */
export interface StoreWiring {
  /** The `fetch` a client created from connection settings uses unless they name one. */
  fetch?: typeof fetch;
  /** Top-level keys the framework writes itself (e.g. express's `cookie`); strict mode skips them. */
  frameworkKeys?: readonly string[];
}

/**
 * What one request knows about its session, from the load to the save. Adapters keep it
 * wherever their framework lets them (a WeakMap on the context, a key on the session); it
 * never reaches JSON.
 *
 * @example
 * ```ts
 * const state = new SessionState(store);
 * const data = await core.load(id, state);
 * ```
 */
export class SessionState {
  /** The id loaded or last written in this request; undefined after a miss or destroy. */
  id: string | undefined = undefined;
  /** Its data as loaded or last written. */
  snapshot: Snapshot | undefined = undefined;
  /** Its expiry (ms) as the vault last reported or this store last set. */
  expires: number | null | undefined = undefined;
  /** The user it is linked to (carried over to a regenerated id). */
  link: string | null = null;
  /** A link change asked for with `linkUser()`, not yet written. */
  pendingLink: string | null | undefined = undefined;

  /** @param owner the store the state belongs to, so two stores never read each other's. */
  constructor(readonly owner?: object) {}

  toJSON(): undefined {
    return undefined;
  }

  /**
   * Forgets the loaded session (destroyed, revoked, or missing). A pending link stays: a
   * regenerate destroys the old id before the new one is written with the link.
   */
  clear(): void {
    this.id = undefined;
    this.snapshot = undefined;
    this.expires = undefined;
  }
}

/**
 * A loaded session: a private copy of its data and what the vault reported.
 *
 * @example
 * ```ts
 * const found: LoadedSession | null = await core.load(id, state);
 * ```
 */
export interface LoadedSession {
  data: Record<string, unknown>;
  /** When it was first written (ms). */
  created: number;
  expires: number | null;
  lastused: number;
  usertoken: string | null;
}

/**
 * What a save did: `"written"` (upsert or patch), `"extended"` (a touch), `"skipped"` (the
 * record already had that window, or touch is throttled or disabled), `"gone"` (destroyed
 * meanwhile; it stays destroyed) or `"deleted"` (the cookie had expired).
 *
 * @example
 * ```ts
 * if ((await core.save(id, data, window, state)) === "gone") ctx.session = null;
 * ```
 */
export type SaveOutcome = "written" | "extended" | "skipped" | "gone" | "deleted";

const DEFAULT_TTL_SECONDS = 86_400;

/**
 * The framework-neutral session store every adapter translates to: loads, saves as a
 * top-level patch of what the request changed (concurrent requests changing different
 * keys both keep their change), extends unchanged sessions cheaply and throttled, links
 * sessions to users, and turns every failure into a {@link SessionError} with a code.
 *
 * @example
 * ```ts
 * const core = new SessionEngine({ baseUrl: "http://127.0.0.1:4700", token: "DEMO" });
 * const state = new SessionState();
 * const found = await core.load(id, state);
 * await core.save(id, { ...found?.data, n: 1 }, cookieWindow({ maxAgeMs: 3_600_000, ttlSeconds: core.ttl as number }, Date.now()), state);
 * ```
 */
export class SessionEngine<S = Record<string, unknown>> {
  /** The vault client; share it for users, tokens and admin calls. */
  readonly client: VaultClient;
  /** The `ttl` option (default one day). */
  readonly ttl: number | ((session: S) => number);
  private readonly disableTouch: boolean;
  private readonly strict: boolean;
  private readonly frameworkKeys: readonly string[];
  private readonly throttle: TouchThrottle;

  constructor(options: StoreOptions<S>, wiring: StoreWiring = {}) {
    const { ttl, touchAfter, disableTouch, strict, client, ...connection } = options;
    if (client) {
      this.client = client;
    } else if (connection.baseUrl && connection.token) {
      const settings = connection as StoreConnectionOptions;
      const fetch = settings.fetch ?? wiring.fetch;
      this.client = createVaultClient(fetch ? { ...settings, fetch } : settings);
    } else {
      throw new TypeError("VaultStore needs either `client` or `baseUrl` and `token`");
    }
    if (typeof ttl === "number" && !(ttl > 0))
      throw new TypeError("VaultStore `ttl` must be a positive number of seconds");
    if (touchAfter !== undefined && !(touchAfter >= 0)) {
      throw new TypeError("VaultStore `touchAfter` must be zero or a positive number of seconds");
    }
    this.ttl = ttl ?? DEFAULT_TTL_SECONDS;
    this.throttle = new TouchThrottle((touchAfter ?? 0) * 1000);
    this.disableTouch = disableTouch ?? false;
    this.strict = strict ?? false;
    this.frameworkKeys = wiring.frameworkKeys ?? [];
  }

  /**
   * Loads a session. A missing or expired session, or an id that cannot be one, is `null`;
   * a vault failure throws a {@link SessionError}.
   *
   * @example
   * ```ts
   * const found = await core.load(id, state);
   * ```
   */
  async load(id: string, state?: SessionState): Promise<LoadedSession | null> {
    const found = isSessionId(id) ? await this.call(() => this.client.getSession(id)) : null;
    if (!found) {
      if (state) {
        state.clear();
        state.link = null;
      }
      return null;
    }
    const snapshot = snapshotOf(found.data);
    if (state) {
      state.id = id;
      state.snapshot = snapshot;
      state.expires = found.expires;
      state.link = found.usertoken;
    }
    return {
      data: found.data,
      created: found.created,
      expires: found.expires,
      lastused: found.lastused,
      usertoken: found.usertoken,
    };
  }

  /**
   * Saves `data` (plain JSON data, the framework's own keys as it wants them stored) with
   * `window`: the whole session when `state` did not load this id (new, or regenerated:
   * a regenerated id inherits the link), else a patch of the changed keys; an unchanged
   * session is only extended. `window: null` deletes it (the cookie has expired).
   *
   * @example
   * ```ts
   * await core.save(id, data, cookieWindow({ maxAgeMs, ttlSeconds: 86_400 }, Date.now()), state);
   * ```
   */
  async save(
    id: string,
    data: Record<string, unknown>,
    window: StoreWindow | null,
    state?: SessionState,
  ): Promise<SaveOutcome> {
    if (!isSessionId(id)) {
      throw new SessionError(
        SessionErrorCode.InvalidSessionId,
        "session id must be 8 to 256 printable ASCII characters",
      );
    }
    if (!window) {
      await this.destroy(id, state);
      return "deleted";
    }
    const now = Date.now();
    const snapshot = snapshotOf(data);
    const pendingLink = state?.pendingLink;
    const loaded = state?.id === id && state.snapshot ? state : undefined;

    if (!loaded) {
      const link = pendingLink !== undefined ? pendingLink : (state?.link ?? null);
      this.refusePII(data);
      await this.call(() =>
        this.client.upsertSession(id, data, { ...window.options, ...(link ? { usertoken: link } : {}) }),
      );
      this.remember(state, id, snapshot, window.expires, link, now);
      return "written";
    }

    const patch = diffSnapshots(loaded.snapshot as Snapshot, snapshot);
    if (!patch && pendingLink === undefined) {
      if (windowCovered(loaded.expires, window)) return "skipped";
      if (window.sliding) return this.touch(id, window, loaded);
    }
    if (patch) this.refusePII(patch.set);
    const written = await this.call(() =>
      this.client.patchSession(id, patch ?? {}, {
        ...window.options,
        // A session revoked or destroyed while this request held it stays gone.
        create: false,
        ...(pendingLink !== undefined ? { usertoken: pendingLink ?? "" } : {}),
      }),
    );
    if (written === null) {
      loaded.clear();
      loaded.pendingLink = undefined;
      this.throttle.forget(id);
      return "gone";
    }
    this.remember(loaded, id, snapshot, window.expires, pendingLink !== undefined ? pendingLink : loaded.link, now);
    return "written";
  }

  /**
   * Extends an unchanged session's window without sending its data. Skipped with
   * `disableTouch`, within `touchAfter` of this process's last write or extension, and
   * when the request's own load already left the record with that window.
   *
   * @example
   * ```ts
   * await core.touch(id, cookieWindow({ maxAgeMs, ttlSeconds: 86_400 }, Date.now()), state);
   * ```
   */
  async touch(id: string, window: StoreWindow | null, state?: SessionState): Promise<SaveOutcome> {
    if (this.disableTouch || !window || !isSessionId(id)) return "skipped";
    const now = Date.now();
    if (this.throttle.recent(id, now)) return "skipped";
    const loaded = state?.id === id ? state : undefined;
    if (loaded && windowCovered(loaded.expires, window, this.throttle.touchAfterMs)) {
      this.throttle.mark(id, now);
      return "skipped";
    }
    const slidingtime = window.options.slidingtime;
    const touched = await this.call(() => this.client.touchSession(id, slidingtime ? { slidingtime } : {}));
    if (touched === null) {
      loaded?.clear();
      this.throttle.forget(id);
      return "gone";
    }
    if (loaded) loaded.expires = touched.expires;
    this.throttle.mark(id, now);
    return "extended";
  }

  /**
   * Deletes a session in the vault; deleting a missing one succeeds.
   *
   * @example
   * ```ts
   * await core.destroy(id, state);
   * ```
   */
  async destroy(id: string, state?: SessionState): Promise<void> {
    if (state?.id === id) state.clear();
    this.throttle.forget(id);
    if (!isSessionId(id)) return;
    await this.call(() => this.client.deleteSession(id));
  }

  /**
   * Asks the next save of this request's session to link it to the user whose vault token
   * is `usertoken` (`null` unlinks). The link lives in the vault record, never in the data.
   *
   * @example
   * ```ts
   * core.linkUser(state, token);
   * await core.save(id, data, window, state);
   * ```
   */
  linkUser(state: SessionState, usertoken: string | null): void {
    state.pendingLink = usertoken;
  }

  /**
   * Forgets the link before a regenerate that must not carry the user over.
   *
   * @example
   * ```ts
   * core.unlink(state);
   * ```
   */
  unlink(state: SessionState): void {
    state.link = null;
    state.pendingLink = undefined;
  }

  /**
   * The vault token of the user the session is (or is about to be) linked to, or `null`.
   *
   * @example
   * ```ts
   * if (!core.userToken(state)) throw new Error("not signed in");
   * ```
   */
  userToken(state: SessionState | undefined): string | null {
    if (!state) return null;
    return state.pendingLink !== undefined ? state.pendingLink : state.link;
  }

  /**
   * Lists a user's live sessions, most recently used first, found by any of the user's
   * identities.
   *
   * @example
   * ```ts
   * const { rows, total } = await core.listSessions("login", "ada", { limit: 20 });
   * ```
   */
  listSessions<T extends object = Record<string, unknown>>(
    mode: Mode,
    identity: string,
    options?: { offset?: number; limit?: number; signal?: AbortSignal },
  ): Promise<{ rows: VaultSessionRow<T>[]; total: number }> {
    return this.call(() => this.client.listUserSessions<T>(mode, identity, options));
  }

  /**
   * Deletes every session of a user ("sign out everywhere"), except the ids in `keep`.
   *
   * @example
   * ```ts
   * const { deleted } = await core.revokeSessions("login", "ada", { keep: [currentId] });
   * ```
   */
  revokeSessions(
    mode: Mode,
    identity: string,
    options?: { keep?: string[]; signal?: AbortSignal },
  ): Promise<{ deleted: number }> {
    return this.call(() => this.client.revokeUserSessions(mode, identity, options));
  }

  private async call<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw toSessionError(error);
    }
  }

  private refusePII(data: Record<string, unknown>): void {
    if (!this.strict) return;
    const checked: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(data)) if (!this.frameworkKeys.includes(key)) checked[key] = value;
    try {
      assertNoPII(checked);
    } catch (error) {
      throw toSessionError(error);
    }
  }

  private remember(
    state: SessionState | undefined,
    id: string,
    snapshot: Snapshot,
    expires: number,
    link: string | null,
    now: number,
  ): void {
    if (state) {
      state.id = id;
      state.snapshot = snapshot;
      state.expires = expires;
      state.link = link;
      state.pendingLink = undefined;
    }
    this.throttle.mark(id, now);
  }
}

import {
  type CookieLifetime,
  cookieWindow,
  type LoadedSession,
  SessionEngine,
  type SessionState,
} from "@sessionvault/session";
import { env, type ResolvedOptions } from "./options.js";

/**
 * Next's store layer: the session engine with this app's cookie lifetime and a vault
 * client created at the first request (`next build` evaluates modules before the runtime
 * env is known). Request sessions and the middleware helper are built on it; listing and
 * revoking a user's sessions are the engine's own (`store.engine.listSessions`, ...).
 */
export class NextSessionStore {
  #engine: SessionEngine | undefined;

  constructor(readonly options: ResolvedOptions) {}

  /** The session engine (and through `engine.client`, the vault client). */
  get engine(): SessionEngine {
    this.#engine ??= this.#create();
    return this.#engine;
  }

  #create(): SessionEngine {
    const { client, touchAfter, strict, tenant } = this.options;
    const behaviour = { touchAfter, strict };
    if (client) return new SessionEngine({ ...behaviour, client });
    const baseUrl = this.options.baseUrl ?? env("SESSIONVAULT_URL");
    const token = this.options.token ?? env("SESSIONVAULT_TOKEN");
    if (!baseUrl || !token) {
      throw new TypeError(
        "@sessionvault/next: no vault configured: pass `client` or `baseUrl` and `token`, or set SESSIONVAULT_URL and SESSIONVAULT_TOKEN",
      );
    }
    return new SessionEngine({ ...behaviour, baseUrl, token, ...(tenant ? { tenant } : {}) });
  }

  /** A session, or `null` for a missing, expired or malformed id. */
  load(id: string, state: SessionState): Promise<LoadedSession | null> {
    return this.engine.load(id, state);
  }

  /**
   * Writes `data` under `id`: whole when `state` did not load this id (new or rotated; `link`
   * names its user), else as a patch of the changed keys. Resolves `false` when the session
   * was destroyed or revoked meanwhile: it stays gone.
   */
  async save(
    id: string,
    data: object,
    state: SessionState,
    options: { lifetime?: CookieLifetime; link?: string | null } = {},
  ): Promise<boolean> {
    if (typeof data !== "object" || data === null || Array.isArray(data)) {
      throw new TypeError("@sessionvault/next: session data must be a plain object");
    }
    if (options.link !== undefined) this.engine.linkUser(state, options.link);
    const window = cookieWindow(options.lifetime ?? this.options.lifetime, Date.now());
    return (await this.engine.save(id, data as Record<string, unknown>, window, state)) !== "gone";
  }

  /** Extends an unchanged session (throttled by `touchAfter`); `false` when it is gone. */
  async touch(id: string, state?: SessionState, lifetime?: CookieLifetime): Promise<boolean> {
    const window = cookieWindow(lifetime ?? this.options.lifetime, Date.now());
    return (await this.engine.touch(id, window, state)) !== "gone";
  }

  destroy(id: string, state?: SessionState): Promise<void> {
    return this.engine.destroy(id, state);
  }
}

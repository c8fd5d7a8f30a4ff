import type { VaultClient, VaultSession } from "@sessionvault/client";
import { SessionError } from "./errors.js";
import { assertSessionData, type CookieAttributes, type ResolvedOptions, windowFor } from "./options.js";
import { newSessionId } from "./session-id.js";
import type { MutableSession, ReadonlySession, RegenerateOptions, SaveOptions } from "./types.js";

/** The part of Next's cookie store the session needs. */
export interface CookieStore {
  get(name: string): { value: string } | undefined;
  set(name: string, value: string, attributes: CookieAttributes): unknown;
}

export interface RequestCookie {
  name: string;
  attributes: CookieAttributes;
  expired: CookieAttributes;
}

export interface LoadedSession<Data extends object> {
  id: string;
  record: VaultSession<Data>;
}

const READ_ONLY_MESSAGE =
  "this session is read-only: Next.js can set cookies only in Route Handlers and Server Actions. " +
  "Read with getSession() in Server Components and write with getMutableSession() in a Route Handler or Server Action.";

function readOnly(): never {
  throw new SessionError("READ_ONLY", READ_ONLY_MESSAGE);
}

function isNextReadOnlyCookieError(error: unknown): boolean {
  return (
    error instanceof Error &&
    (error.constructor.name === "ReadonlyRequestCookiesError" || /Cookies can only be modified/.test(error.message))
  );
}

function snapshot<Data extends object>(loaded: LoadedSession<Data> | null) {
  return {
    id: loaded?.id ?? null,
    data: loaded?.record.data ?? null,
    userToken: loaded?.record.usertoken ?? null,
    created: loaded?.record.created ?? null,
    lastUsed: loaded?.record.lastused ?? null,
    expires: loaded?.record.expires ?? null,
  };
}

/** A frozen view whose write methods exist only to fail loudly for callers that bypass the types. */
export function readonlySession<Data extends object>(loaded: LoadedSession<Data> | null): ReadonlySession<Data> {
  const view = snapshot(loaded);
  if (view.data) Object.freeze(view.data);
  for (const method of ["save", "update", "destroy", "regenerate"]) {
    Object.defineProperty(view, method, { value: readOnly, enumerable: false });
  }
  return Object.freeze(view);
}

export class VaultBackedSession<Data extends object> implements MutableSession<Data> {
  #loaded: LoadedSession<Data> | null;
  readonly #client: VaultClient;
  readonly #options: ResolvedOptions;
  readonly #store: CookieStore;
  readonly #cookie: RequestCookie;
  readonly #onWrite: () => void;

  constructor(
    client: VaultClient,
    options: ResolvedOptions,
    store: CookieStore,
    cookie: RequestCookie,
    loaded: LoadedSession<Data> | null,
    onWrite: () => void = () => {},
  ) {
    this.#client = client;
    this.#options = options;
    this.#store = store;
    this.#cookie = cookie;
    this.#loaded = loaded;
    this.#onWrite = onWrite;
  }

  get id(): string | null {
    return this.#loaded?.id ?? null;
  }
  get data(): Readonly<Data> | null {
    return this.#loaded?.record.data ?? null;
  }
  get userToken(): string | null {
    return this.#loaded?.record.usertoken ?? null;
  }
  get created(): number | null {
    return this.#loaded?.record.created ?? null;
  }
  get lastUsed(): number | null {
    return this.#loaded?.record.lastused ?? null;
  }
  get expires(): number | null {
    return this.#loaded?.record.expires ?? null;
  }

  // The cookie is written before the vault, so a forbidden write fails before any side effect.
  #setCookie(value: string, attributes: CookieAttributes): void {
    // Reads cached for this request would be stale after any write.
    this.#onWrite();
    try {
      this.#store.set(this.#cookie.name, value, attributes);
    } catch (error) {
      if (isNextReadOnlyCookieError(error)) throw new SessionError("READ_ONLY", READ_ONLY_MESSAGE, { cause: error });
      throw error;
    }
  }

  #expireCookie(): void {
    this.#setCookie("", this.#cookie.expired);
  }

  #gone(): never {
    this.#loaded = null;
    this.#expireCookie();
    throw new SessionError("SESSION_GONE", "the session expired or was revoked while this request was running");
  }

  async #createUnderFreshId(data: Data, userToken: string | null, created: number | null): Promise<void> {
    const previous = this.#loaded;
    const id = newSessionId();
    this.#setCookie(id, this.#cookie.attributes);
    try {
      const { version } = await this.#client.upsertSession(id, data, {
        ...windowFor(this.#options),
        ...(userToken ? { usertoken: userToken } : {}),
        expectversion: 0,
      });
      const now = Date.now();
      this.#loaded = {
        id,
        record: {
          data,
          version,
          created: created ?? now,
          lastused: now,
          expires: now + this.#options.ttl * 1000,
          usertoken: userToken,
        },
      };
    } catch (error) {
      if (previous) this.#setCookie(previous.id, this.#cookie.attributes);
      else this.#expireCookie();
      throw error;
    }
    if (previous) await this.#client.deleteSession(previous.id);
  }

  async save(data: Data, options: SaveOptions = {}): Promise<void> {
    assertSessionData(this.#options, data);
    const loaded = this.#loaded;
    const userToken = options.userToken === undefined ? (loaded?.record.usertoken ?? null) : options.userToken;
    // Never adopt an id the vault does not know, and rotate whenever the signed-in user changes.
    if (!loaded || userToken !== (loaded.record.usertoken ?? null)) {
      await this.#createUnderFreshId(data, userToken, null);
      return;
    }
    this.#setCookie(loaded.id, this.#cookie.attributes);
    const unset = Object.keys(loaded.record.data).filter((key) => !Object.hasOwn(data, key));
    const result = await this.#client.patchSession<Data>(
      loaded.id,
      { set: data, ...(unset.length > 0 ? { unset } : {}) },
      { ...windowFor(this.#options), create: false },
    );
    if (!result) this.#gone();
    const now = Date.now();
    this.#loaded = {
      id: loaded.id,
      record: {
        ...loaded.record,
        data,
        version: result.version,
        lastused: now,
        expires: now + this.#options.ttl * 1000,
      },
    };
  }

  async update(patch: Partial<Data>): Promise<void> {
    assertSessionData(this.#options, patch);
    const loaded = this.#loaded;
    if (!loaded) {
      this.#setCookie("", this.#cookie.expired);
      throw new SessionError("NO_SESSION", "update() needs an existing session; use save() to create one");
    }
    this.#setCookie(loaded.id, this.#cookie.attributes);
    const result = await this.#client.patchSession<Data>(
      loaded.id,
      { set: patch },
      { ...windowFor(this.#options), create: false },
    );
    if (!result) this.#gone();
    const now = Date.now();
    this.#loaded = {
      id: loaded.id,
      record: {
        ...loaded.record,
        data: { ...loaded.record.data, ...patch },
        version: result.version,
        lastused: now,
        expires: now + this.#options.ttl * 1000,
      },
    };
  }

  async destroy(): Promise<void> {
    const loaded = this.#loaded;
    this.#expireCookie();
    this.#loaded = null;
    if (loaded) await this.#client.deleteSession(loaded.id);
  }

  async regenerate(options: RegenerateOptions = {}): Promise<void> {
    const loaded = this.#loaded;
    if (!options.keepData || !loaded) {
      await this.destroy();
      return;
    }
    await this.#createUnderFreshId(loaded.record.data, loaded.record.usertoken ?? null, null);
  }
}

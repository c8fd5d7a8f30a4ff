import {
  generateSessionId,
  type LoadedSession,
  SessionError,
  SessionErrorCode,
  type SessionState,
} from "@sessionvault/session";
import type { CookieAttributes, RequestCookie } from "./options.js";
import type { NextSessionStore } from "./store.js";
import type { MutableSession, ReadonlySession, RegenerateOptions, SaveOptions, SessionSnapshot } from "./types.js";

/** The part of Next's cookie store a session needs. */
export interface CookieJar {
  get(name: string): { value: string } | undefined;
  set(name: string, value: string, attributes: CookieAttributes): unknown;
}

const READ_ONLY_MESSAGE =
  "this session is read-only: Next.js can set cookies only in Route Handlers and Server Actions. " +
  "Read with getSession() in Server Components and write with getMutableSession() in a Route Handler or Server Action.";

function readOnly(cause?: unknown): never {
  throw new SessionError(SessionErrorCode.ReadOnly, READ_ONLY_MESSAGE, { cause });
}

function isNextReadOnlyCookieError(error: unknown): boolean {
  return (
    error instanceof Error &&
    (error.constructor.name === "ReadonlyRequestCookiesError" || /Cookies can only be modified/.test(error.message))
  );
}

function snapshot<Data extends object>(id: string, found: LoadedSession | null): SessionSnapshot<Data> {
  return {
    id: found ? id : null,
    data: (found?.data as Data | undefined) ?? null,
    userToken: found?.usertoken ?? null,
    created: found?.created ?? null,
    lastUsed: found?.lastused ?? null,
    expires: found?.expires ?? null,
  };
}

/** A frozen view whose write methods exist only to fail loudly for callers that bypass the types. */
export function readonlySession<Data extends object>(id: string, found: LoadedSession | null): ReadonlySession<Data> {
  const view = snapshot<Data>(id, found);
  if (view.data) Object.freeze(view.data);
  for (const method of ["save", "update", "destroy", "regenerate", "signIn"]) {
    Object.defineProperty(view, method, { value: () => readOnly(), enumerable: false });
  }
  return Object.freeze(view);
}

/** One request's session: Next's cookie jar and the session engine, translated. */
export class RequestSession<Data extends object> implements MutableSession<Data> {
  #view: SessionSnapshot<Data>;
  readonly #state: SessionState;

  constructor(
    private readonly store: NextSessionStore,
    private readonly jar: CookieJar,
    private readonly cookie: RequestCookie,
    id: string,
    found: LoadedSession | null,
    state: SessionState,
    private readonly onWrite: () => void = () => {},
  ) {
    this.#view = snapshot<Data>(id, found);
    this.#state = state;
  }

  get id(): string | null {
    return this.#view.id;
  }
  get data(): Readonly<Data> | null {
    return this.#view.data;
  }
  get userToken(): string | null {
    return this.#view.userToken;
  }
  get created(): number | null {
    return this.#view.created;
  }
  get lastUsed(): number | null {
    return this.#view.lastUsed;
  }
  get expires(): number | null {
    return this.#view.expires;
  }

  // The cookie is written before the vault, so a forbidden write fails before any side effect.
  #setCookie(value: string | null): void {
    this.onWrite();
    try {
      if (value) this.jar.set(this.cookie.name, value, this.cookie.attributes);
      else this.jar.set(this.cookie.name, "", this.cookie.expired);
    } catch (error) {
      if (isNextReadOnlyCookieError(error)) readOnly(error);
      throw error;
    }
  }

  #written(id: string, data: Data, userToken: string | null): void {
    const now = Date.now();
    const created = this.#view.id === id ? this.#view.created : now;
    this.#view = { id, data, userToken, created, lastUsed: now, expires: this.#state.expires ?? null };
  }

  async #write(id: string, data: Data): Promise<void> {
    this.#setCookie(id);
    if (!(await this.store.save(id, data, this.#state))) {
      this.#view = snapshot(id, null);
      this.#setCookie(null);
      throw new SessionError(SessionErrorCode.SessionGone, "the session expired or was revoked during this request");
    }
    this.#written(id, data, this.#view.userToken);
  }

  // A fresh id for the data (sign-in, regenerate, a new session); the old id dies in the vault.
  async #rotate(data: Data, link: string | null): Promise<void> {
    const previous = this.#view.id;
    const id = generateSessionId();
    this.#setCookie(id);
    try {
      await this.store.save(id, data, this.#state, { link });
    } catch (error) {
      this.#setCookie(previous);
      throw error;
    }
    this.#written(id, data, link);
    if (previous) await this.store.destroy(previous);
  }

  async save(data: Data, options: SaveOptions = {}): Promise<void> {
    const link = options.userToken === undefined ? this.#view.userToken : options.userToken;
    // Never adopt an id the vault does not know, and rotate whenever the signed-in user changes.
    if (!this.#view.id || link !== this.#view.userToken) return this.#rotate(data, link);
    await this.#write(this.#view.id, data);
  }

  async update(patch: Partial<Data>): Promise<void> {
    if (!this.#view.id) {
      this.#setCookie(null);
      throw new SessionError(
        SessionErrorCode.NoSession,
        "update() needs an existing session; use save() to create one",
      );
    }
    await this.#write(this.#view.id, { ...this.#view.data, ...patch } as Data);
  }

  async signIn(userToken: string): Promise<void> {
    await this.#rotate({ ...this.#view.data } as Data, userToken);
  }

  async destroy(): Promise<void> {
    const id = this.#view.id;
    this.#setCookie(null);
    this.#view = snapshot(id ?? "", null);
    if (id) await this.store.destroy(id, this.#state);
  }

  async regenerate(options: RegenerateOptions = {}): Promise<void> {
    if (!options.keepData || !this.#view.data) return this.destroy();
    await this.#rotate({ ...this.#view.data } as Data, this.#view.userToken);
  }
}

import type { Mode, VaultClient, VaultSessionRow } from "@sessionvault/client";

/**
 * What a request knows about its session. Every field is `null` when the request has
 * no live session (no cookie, an unknown id, or a session the vault expired or revoked).
 *
 * @example
 * ```ts
 * const session: SessionSnapshot<{ visits: number }> = await sessions.getSession();
 * if (session.data) console.log(session.data.visits, new Date(session.created ?? 0));
 * ```
 */
export interface SessionSnapshot<Data extends object> {
  /** The session id. Server-side only: never render it or pass it to a Client Component. */
  readonly id: string | null;
  /** The session data, or `null` when there is no session. */
  readonly data: Readonly<Data> | null;
  /** The vault token of the user the session is linked to. */
  readonly userToken: string | null;
  /** Unix time in milliseconds of the first write. */
  readonly created: number | null;
  /** Unix time in milliseconds of the last read or write. */
  readonly lastUsed: number | null;
  /** Unix time in milliseconds when the session expires unless used again. */
  readonly expires: number | null;
}

/**
 * The session as Server Components see it: readable, never writable, because Next.js
 * cannot set cookies while rendering. Calling a write method anyway (through a cast, or
 * from JavaScript) throws a `SessionError` with code `READ_ONLY`.
 *
 * @example
 * ```tsx
 * export default async function Page() {
 *   const session: ReadonlySession<AppSession> = await sessions.getSession();
 *   return <p>{session.data?.visits ?? 0} visits</p>;
 * }
 * ```
 */
export type ReadonlySession<Data extends object> = SessionSnapshot<Data>;

/**
 * Options for {@link MutableSession.save}.
 *
 * @example
 * ```ts
 * await session.save({ visits: 0 }, { userToken } satisfies SaveOptions);
 * ```
 */
export interface SaveOptions {
  /**
   * Link the session to this user's vault token (from `UserCreate` / `tokenizeProfile`),
   * or `null` to unlink it. Omitted: the link stays as it is. Changing the link gives the
   * session a new id and deletes the old one, so a pre-sign-in id never becomes signed in.
   */
  userToken?: string | null;
}

/**
 * Options for {@link MutableSession.regenerate}.
 *
 * @example
 * ```ts
 * await session.regenerate({ keepData: true } satisfies RegenerateOptions);
 * ```
 */
export interface RegenerateOptions {
  /** Carry the data and user link over to the new id. Default `false`: start empty. */
  keepData?: boolean;
}

/**
 * The session in Route Handlers and Server Actions: readable and writable.
 *
 * @example
 * ```ts
 * "use server";
 * export async function countVisit() {
 *   const session: MutableSession<AppSession> = await sessions.getMutableSession();
 *   await session.save({ visits: (session.data?.visits ?? 0) + 1 });
 * }
 * ```
 */
export interface MutableSession<Data extends object> extends SessionSnapshot<Data> {
  /**
   * Replace the session data (creating the session and its cookie when there is none)
   * and refresh the cookie's lifetime. Only the keys that differ from what this request
   * loaded reach the vault, so a concurrent request's change to another key survives.
   */
  save(data: Data, options?: SaveOptions): Promise<void>;
  /** Merge top-level keys into an existing session, atomically in the vault. */
  update(patch: Partial<Data>): Promise<void>;
  /**
   * Sign in: a fresh id (the pre-sign-in id is deleted, so a planted id is worthless), the
   * data carried over, and the session linked to the user whose vault token is `userToken`.
   */
  signIn(userToken: string): Promise<void>;
  /** Delete the session in the vault and expire the cookie. */
  destroy(): Promise<void>;
  /** Move to a fresh id; the old id is deleted in the vault at once. */
  regenerate(options?: RegenerateOptions): Promise<void>;
}

/**
 * A user, by vault token or by any identity the vault indexes.
 *
 * @example
 * ```ts
 * const byToken: UserRef = session.userToken ?? "";
 * const byEmail: UserRef = { mode: "email", identity: "ada@example.com" };
 * ```
 */
export type UserRef = string | { mode: Mode; identity: string };

/**
 * One session of a user, as the deprecated `listUserSessions` lists it.
 *
 * @example
 * ```ts
 * const { rows } = await sessions.listUserSessions(userToken);
 * const others: UserSessionRow<AppSession>[] = rows.filter((row) => !row.current);
 * ```
 */
export interface UserSessionRow<Data extends object> {
  /** The session id. Server-side only: derive an opaque handle before sending a row to the browser. */
  readonly id: string;
  readonly data: Data;
  readonly userToken: string | null;
  readonly created: number;
  readonly lastUsed: number;
  readonly expires: number | null;
  /** True for the session of the current request. */
  readonly current: boolean;
}

/**
 * Sessions for one Next.js app, bound to one vault and one cookie. The names are the ones
 * every sessionvault adapter uses: `signIn`, `userToken`, `listSessions`, `revokeSessions`.
 *
 * @example
 * ```ts
 * export const sessions: SessionVault<AppSession> = createSessionVault<AppSession>({ cookieName: "app_session" });
 * ```
 */
export interface SessionVault<Data extends object> {
  /**
   * The current request's session, read-only. Use it in Server Components, layouts and
   * anywhere else; repeated calls in one render share one vault read.
   */
  getSession(): Promise<ReadonlySession<Data>>;
  /** The current request's session with `save`, `update`, `signIn`, `destroy` and `regenerate`, for Route Handlers and Server Actions. */
  getMutableSession(): Promise<MutableSession<Data>>;
  /** Sign the current request's session in as the user whose vault token is `userToken` (see {@link MutableSession.signIn}). */
  signIn(userToken: string): Promise<void>;
  /** The vault token of the user the current request's session is linked to, or `null`. */
  userToken(): Promise<string | null>;
  /** A user's live sessions, most recently used first, found by any of the user's identities. */
  listSessions(
    mode: Mode,
    identity: string,
    options?: { offset?: number; limit?: number; signal?: AbortSignal },
  ): Promise<{ rows: VaultSessionRow<Data>[]; total: number }>;
  /**
   * Delete every session of a user ("sign out everywhere"), except the ids in `keep`
   * ("everywhere else": `keep: [session.id]`).
   */
  revokeSessions(
    mode: Mode,
    identity: string,
    options?: { keep?: string[]; signal?: AbortSignal },
  ): Promise<{ deleted: number }>;
  /** @deprecated Use {@link SessionVault.listSessions} (and compare `sessionuuid` with `session.id`). */
  listUserSessions(
    user: UserRef,
    options?: { offset?: number; limit?: number },
  ): Promise<{ rows: UserSessionRow<Data>[]; total: number }>;
  /** @deprecated Use {@link SessionVault.revokeSessions} with `keep: [session.id]`. */
  revokeUser(user: UserRef, options?: { keep?: string[]; keepCurrent?: boolean }): Promise<{ deleted: number }>;
  /** The underlying vault client. */
  readonly client: VaultClient;
}

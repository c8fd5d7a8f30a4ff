import { randomUUID } from "node:crypto";
import { dataKeys, generateSessionId } from "@sessionvault/session";
import session from "express-session";
import type { RequestWithSession, VaultStore } from "./store.js";

/**
 * Options of {@link vaultSession}: express-session's own, with a {@link VaultStore}.
 *
 * @example
 * ```ts
 * const options: VaultSessionOptions = { store, secret: "change me", cookie: { maxAge: 3_600_000 } };
 * ```
 */
export type VaultSessionOptions = session.SessionOptions & {
  store: VaultStore;
  /**
   * Form of generated session ids when `genid` is not given: `"base64url"` (default, 256 bits)
   * or `"uuid"` (a random UUID, 122 bits) for a vault that demands UUID session ids, such as
   * Databunker.
   */
  idFormat?: "base64url" | "uuid";
};

/**
 * express-session with safe defaults for a vault store: 256-bit ids, `resave: false`,
 * `saveUninitialized: false`, and a cookie that is HttpOnly, SameSite=Lax and Secure when
 * `NODE_ENV` is `production`. Every option can be overridden. Mount {@link saveBeforeResponse}
 * right after it so that a failed save answers the request with a 5xx rather than after a 200.
 *
 * @example
 * ```ts
 * app.use(vaultSession({ store, secret: process.env.SESSION_SECRET!, cookie: { maxAge: 30 * 60_000 } }));
 * app.use(saveBeforeResponse());
 * ```
 */
export function vaultSession(options: VaultSessionOptions): ReturnType<typeof session> {
  const { cookie, idFormat, ...rest } = options;
  const middleware = session({
    genid: idFormat === "uuid" ? () => randomUUID() : generateSessionId,
    resave: false,
    saveUninitialized: false,
    ...rest,
    cookie: { httpOnly: true, sameSite: "lax", secure: process.env.NODE_ENV === "production", ...cookie },
  });
  return (req, res, next) => {
    withoutCookieOnServerError(res);
    middleware(req, res, next);
  };
}

// A 5xx (the vault down, a refused write) must not hand the browser a new or renewed
// cookie for a session that was never stored. express-session sets the cookie in its own
// writeHead hook; this one is installed first, so it runs after that and takes it out.
function withoutCookieOnServerError(res: Parameters<ReturnType<typeof session>>[1]): void {
  const writeHead = res.writeHead;
  res.writeHead = function (this: typeof res, ...args: unknown[]) {
    const status = typeof args[0] === "number" ? args[0] : this.statusCode;
    if (status >= 500) this.removeHeader("Set-Cookie");
    return (writeHead as (...a: unknown[]) => typeof res).apply(this, args);
  } as typeof res.writeHead;
}

/**
 * Gives the request a new session id and an empty session; the old id is deleted in the
 * vault. Use it where the old data must not survive (e.g. switching users).
 *
 * @example
 * ```ts
 * await regenerate(req);
 * ```
 */
export function regenerate(req: RequestWithSession): Promise<void> {
  return new Promise((resolve, reject) => {
    req.session.regenerate((err?: unknown) => (err ? reject(err) : resolve()));
  });
}

/**
 * Gives the request a new session id and carries the session data over (not the cookie,
 * which starts afresh); the old id is deleted in the vault. Use it at login so that a
 * pre-login id (possibly planted by an attacker) is dead while the cart survives.
 *
 * @example
 * ```ts
 * app.post("/login", async (req, res) => {
 *   await regenerateKeepingData(req);
 *   req.session.user = "ada";
 *   res.json({ ok: true });
 * });
 * ```
 */
export async function regenerateKeepingData(req: RequestWithSession): Promise<void> {
  const source = req.session as unknown as Record<string, unknown>;
  const kept = dataKeys(source, ["cookie"]).map((key) => [key, source[key]] as const);
  await regenerate(req);
  const fresh = req.session as unknown as Record<string, unknown>;
  for (const [key, value] of kept) {
    if (!(key in fresh)) fresh[key] = value;
  }
}

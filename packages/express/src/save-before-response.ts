import type { IncomingMessage, ServerResponse } from "node:http";
import type session from "express-session";

/**
 * Options of {@link saveBeforeResponse}: the same `resave` and `saveUninitialized` given to
 * the session middleware, so that it saves exactly when express-session would. The defaults
 * are {@link vaultSession}'s (`false`, `false`).
 *
 * @example
 * ```ts
 * const options: SaveBeforeResponseOptions = { resave: false, saveUninitialized: false };
 * ```
 */
export interface SaveBeforeResponseOptions {
  resave?: boolean;
  saveUninitialized?: boolean;
}

/** The parts of an express request and response this middleware touches. */
type SessionRequest = IncomingMessage & {
  session?: (session.Session & Partial<session.SessionData>) | null;
  sessionID?: unknown;
};
type End = ServerResponse["end"];

/**
 * Middleware, mounted right after the session middleware, that saves a changed session and
 * waits for the vault before the response goes out. On failure (vault unreachable, a 5xx, a
 * refusal, a strict-mode `PIIError`) it calls `next(err)`, so express's error handler answers
 * the request with a 5xx instead of a 200 whose write was lost. Without it, express-session
 * saves after it has written the response head, and a failed save only reaches `next` after
 * the 200 is out.
 *
 * It decides like express-session (`resave`, `saveUninitialized`, saves the application made
 * itself), so an unchanged session costs no write, and after its save express-session finds
 * nothing left to save: one vault write per changed request. A response that is streamed
 * (`res.write` before `res.end`) has its head out already and is saved afterwards, as before.
 *
 * @example
 * ```ts
 * app.use(vaultSession({ store, secret: process.env.SESSION_SECRET! }));
 * app.use(saveBeforeResponse());
 * ```
 */
export function saveBeforeResponse(options: SaveBeforeResponseOptions = {}): ReturnType<typeof session> {
  const resave = options.resave ?? false;
  const saveUninitialized = options.saveUninitialized ?? false;

  return (request, response, next) => {
    const req = request as unknown as SessionRequest;
    const res = response as unknown as ServerResponse;
    const loaded = req.session;
    const originalId = req.sessionID;
    if (!loaded || typeof originalId !== "string") {
      next();
      return;
    }
    // express-session keeps its bookkeeping private; this mirrors its `shouldSave`. The id came
    // from the cookie exactly when the session was loaded: an unknown or forged cookie gets a
    // freshly generated id, which cannot appear in the request's Cookie header.
    const fromCookie = cookieCarries(req.headers.cookie, originalId);
    const originalHash = hash(loaded);
    let savedHash = fromCookie && !resave ? originalHash : undefined;

    // The application's own saves (e.g. `linkUser`) count as saved, as they do for express-session.
    const ownSave = loaded.save;
    Object.defineProperty(loaded, "save", {
      configurable: true,
      enumerable: false,
      writable: true,
      value: function save(this: session.Session, ...args: Parameters<session.Session["save"]>) {
        savedHash = hash(this);
        return ownSave.apply(this, args);
      },
    });

    const shouldSave = (current: session.Session): boolean => {
      const isModified = originalId !== current.id || originalHash !== hash(current);
      const isSaved = originalId === current.id && savedHash === hash(current);
      const cookieId = fromCookie ? originalId : undefined;
      return !saveUninitialized && savedHash === undefined && cookieId !== req.sessionID ? isModified : !isSaved;
    };

    const end = res.end;
    let ending = false;
    res.end = function endAfterSave(this: ServerResponse, ...args: unknown[]) {
      const current = req.session;
      if (ending || res.headersSent || !current || typeof req.sessionID !== "string" || !shouldSave(current)) {
        return (end as (...a: unknown[]) => ServerResponse).apply(this, args);
      }
      ending = true;
      // express-session resets the cookie's expiry at the end of each request; the save
      // must carry the reset expiry so the vault window matches the cookie it sends.
      current.touch();
      current.save((err?: unknown) => {
        if (err) {
          // The error handler answers through res.end again, which now passes straight on.
          next(err);
          return;
        }
        (end as (...a: unknown[]) => ServerResponse).apply(res, args);
      });
      return res;
    } as End;

    next();
  };
}

/** express-session's notion of "changed": the session's JSON, without its cookie. */
function hash(sess: object): string {
  return JSON.stringify(sess, function (this: unknown, key: string, value: unknown) {
    return this === sess && key === "cookie" ? undefined : value;
  });
}

/** Whether a signed session cookie with this id (`s:<id>.<signature>`) is in the header. */
function cookieCarries(header: string | undefined, id: string): boolean {
  if (!header) return false;
  return header.includes(`s%3A${encodeURIComponent(id)}.`) || header.includes(`s:${id}.`);
}

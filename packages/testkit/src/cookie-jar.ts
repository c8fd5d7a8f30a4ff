/**
 * An HTTP client for end-to-end tests that behaves like a browser towards cookies: every
 * `Set-Cookie` the app sends lands in a real RFC 6265 jar (tough-cookie), and every request
 * carries the cookies the jar says belong to that URL (path, expiry, Secure, HttpOnly and
 * SameSite all honoured by the jar, not by the test).
 *
 * It exists so adapter tests exercise the framework's real cookie handling instead of
 * hand-built `Cookie:` headers. `clone()` and `cookie()`/`setCookie()` let a test replay an
 * old cookie after logout, or act as a second device.
 */
import { CookieJar } from "tough-cookie";

/** The outcome of one request made through a {@link CookieJarClient}. */
export interface JarResponse {
  /** HTTP status code. */
  status: number;
  /** Response headers. */
  headers: Headers;
  /** The body as text (always read, so the connection is released). */
  text: string;
  /** The body parsed as JSON; throws when it is not JSON. */
  json<T = unknown>(): T;
}

/** Per-request options; everything but `json` is passed to `fetch`. */
export interface JarRequestInit extends Omit<RequestInit, "body"> {
  /** A JSON body; sets `content-type: application/json`. */
  json?: unknown;
  /** A raw body, used when `json` is absent. */
  body?: RequestInit["body"];
}

/** A fetch wrapper with a cookie jar. Create one with {@link createCookieJarClient}. */
export interface CookieJarClient {
  /** The app's base URL, e.g. `http://127.0.0.1:41234`. */
  readonly baseUrl: string;
  /** The underlying tough-cookie jar. */
  readonly jar: CookieJar;
  /** Sends a request to `path` (relative to `baseUrl`) with the jar's cookies and stores the ones it sets. */
  request(path: string, init?: JarRequestInit): Promise<JarResponse>;
  /** `request` with method GET. */
  get(path: string, init?: JarRequestInit): Promise<JarResponse>;
  /** `request` with method POST. */
  post(path: string, init?: JarRequestInit): Promise<JarResponse>;
  /** The value of the named cookie the jar would send to `path` (default `/`), or `undefined`. */
  cookie(name: string, path?: string): Promise<string | undefined>;
  /** Stores a cookie as if the app had set it, e.g. to replay an old session id. */
  setCookie(name: string, value: string, path?: string): Promise<void>;
  /** Forgets every cookie. */
  clear(): Promise<void>;
  /** An independent client that starts with a copy of this jar (a second tab with the same cookies). */
  clone(): Promise<CookieJarClient>;
}

/**
 * Creates a cookie-aware HTTP client for `baseUrl`.
 *
 * @example
 * ```ts
 * const browser = createCookieJarClient(appUrl);
 * await browser.post("/login", { json: { user: "ada" } });
 * const sid = await browser.cookie("connect.sid");
 * const res = await browser.get("/me");
 * expect(res.json()).toEqual({ user: "ada" });
 * ```
 */
export function createCookieJarClient(baseUrl: string, jar: CookieJar = new CookieJar()): CookieJarClient {
  const base = baseUrl.replace(/\/+$/, "");
  const urlFor = (path: string) => new URL(path, `${base}/`).toString();

  const request = async (path: string, init: JarRequestInit = {}): Promise<JarResponse> => {
    const url = urlFor(path);
    const { json, body, headers: initHeaders, ...rest } = init;
    const headers = new Headers(initHeaders);
    const cookieHeader = await jar.getCookieString(url);
    if (cookieHeader) headers.set("cookie", cookieHeader);
    let requestBody = body;
    if (json !== undefined) {
      headers.set("content-type", "application/json");
      requestBody = JSON.stringify(json);
    }
    // Redirects are not followed so that every Set-Cookie along the way reaches the jar.
    const res = await fetch(url, { ...rest, headers, body: requestBody, redirect: "manual" });
    for (const setCookie of res.headers.getSetCookie()) {
      await jar.setCookie(setCookie, url, { ignoreError: true });
    }
    const text = await res.text();
    return {
      status: res.status,
      headers: res.headers,
      text,
      json<T>() {
        return JSON.parse(text) as T;
      },
    };
  };

  return {
    baseUrl: base,
    jar,
    request,
    get: (path, init) => request(path, { ...init, method: "GET" }),
    post: (path, init) => request(path, { ...init, method: "POST" }),
    async cookie(name, path = "/") {
      const cookies = await jar.getCookies(urlFor(path));
      return cookies.find((c) => c.key === name)?.value;
    },
    async setCookie(name, value, path = "/") {
      await jar.setCookie(`${name}=${value}; Path=${path}`, urlFor(path));
    },
    async clear() {
      await jar.removeAllCookies();
    },
    async clone() {
      return createCookieJarClient(base, await jar.clone());
    },
  };
}

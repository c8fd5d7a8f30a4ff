import type { VaultClient } from "@sessionvault/client";
import type { CookieLifetime, StoreBehaviour } from "@sessionvault/session";

/**
 * How to reach the vault: an existing client, or a URL and access token (both default to
 * `SESSIONVAULT_URL` / `SESSIONVAULT_TOKEN`, read at the first request).
 *
 * @example
 * ```ts
 * const viaUrl: VaultConnection = { baseUrl: "http://127.0.0.1:4700", token: "DEMO" };
 * const viaClient: VaultConnection = { client: createVaultClient({ baseUrl, token }) };
 * ```
 */
export type VaultConnection =
  | { client: VaultClient; baseUrl?: never; token?: never; tenant?: never }
  | {
      client?: never;
      /** Vault URL. Falls back to `SESSIONVAULT_URL` at first use. */
      baseUrl?: string;
      /** Vault access token. Falls back to `SESSIONVAULT_TOKEN` at first use. */
      token?: string;
      tenant?: string;
    };

/**
 * Options shared by `createSessionVault` and `createSessionMiddleware`; give both the same
 * values so they read the same cookie. `touchAfter` and `strict` are the session engine's,
 * as in every other sessionvault adapter.
 *
 * @example
 * ```ts
 * export const sessionOptions = { cookieName: "app_session", ttl: 60 * 60 * 24 } satisfies SessionOptions;
 * ```
 */
export type SessionOptions = VaultConnection &
  Pick<StoreBehaviour<unknown>, "touchAfter" | "strict"> & {
    /** Cookie name (without the `__Host-` prefix). Default `"sv_session"`. */
    cookieName?: string;
    /** Sliding lifetime in seconds: the cookie's `Max-Age` and the vault window. Default 7 days. */
    ttl?: number;
    /** Absolute lifetime in seconds from the first write, never extended. Default: none. */
    absoluteTtl?: number;
    /** Send the cookie with `Secure`. Default: `true` when `NODE_ENV` is `"production"`. */
    secure?: boolean;
    /**
     * Name the cookie `__Host-<cookieName>` (which forces `Secure`, `Path=/` and no `Domain`).
     * `"auto"` (default) does so when the request arrived over HTTPS, as Next.js reports it
     * through `x-forwarded-proto`.
     */
    hostPrefix?: boolean | "auto";
    /** `SameSite` attribute. Default `"lax"`. */
    sameSite?: "lax" | "strict";
  };

/**
 * The attributes every session cookie is written with.
 *
 * @example
 * ```ts
 * const attributes: CookieAttributes = { httpOnly: true, sameSite: "lax", secure: true, path: "/", maxAge: 3600 };
 * ```
 */
export interface CookieAttributes {
  httpOnly: true;
  sameSite: "lax" | "strict";
  secure: boolean;
  path: "/";
  maxAge: number;
}

/** The cookie one request reads and writes. */
export interface RequestCookie {
  name: string;
  attributes: CookieAttributes;
  expired: CookieAttributes;
}

export type ResolvedOptions = SessionOptions & {
  cookieName: string;
  ttl: number;
  /** The cookie's lifetime as the engine maps it onto vault windows. */
  lifetime: CookieLifetime;
};

const COOKIE_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}$/;

/** `process.env[name]`; the edge runtime has no `process` unless Next.js provides one. */
export function env(name: string): string | undefined {
  return typeof process === "undefined" ? undefined : process.env[name];
}

function seconds(name: string, value: number | undefined): number | undefined {
  if (value !== undefined && (!Number.isInteger(value) || value < 1 || value > 999_999_999)) {
    throw new TypeError(`@sessionvault/next: ${name} must be a whole number of seconds between 1 and 999999999`);
  }
  return value;
}

export function resolveOptions(options: SessionOptions): ResolvedOptions {
  const cookieName = options.cookieName ?? "sv_session";
  if (!COOKIE_NAME.test(cookieName) || cookieName.startsWith("__")) {
    throw new TypeError("@sessionvault/next: cookieName must be a plain cookie token without a __ prefix");
  }
  const ttl = seconds("ttl", options.ttl) ?? 7 * 24 * 60 * 60;
  const absoluteSeconds = seconds("absoluteTtl", options.absoluteTtl);
  return { ...options, cookieName, ttl, lifetime: { maxAgeMs: ttl * 1000, ttlSeconds: ttl, absoluteSeconds } };
}

/** The cookie name and attributes for one request. */
export function cookieFor(options: ResolvedOptions, https: boolean): RequestCookie {
  const hostPrefix = options.hostPrefix ?? "auto";
  const prefixed = hostPrefix === true || (hostPrefix === "auto" && https);
  const attributes: CookieAttributes = {
    httpOnly: true,
    sameSite: options.sameSite ?? "lax",
    secure: prefixed || (options.secure ?? env("NODE_ENV") === "production"),
    path: "/",
    maxAge: options.ttl,
  };
  return {
    name: prefixed ? `__Host-${options.cookieName}` : options.cookieName,
    attributes,
    expired: { ...attributes, maxAge: 0 },
  };
}

export function isHttps(forwardedProto: string | null | undefined): boolean {
  return (forwardedProto ?? "").split(",")[0]?.trim().toLowerCase() === "https";
}

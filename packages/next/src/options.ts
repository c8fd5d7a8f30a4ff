import { createVaultClient, type VaultClient } from "@sessionvault/client";
import { assertNoPII } from "@sessionvault/tokenize/detect";
import { SessionError } from "./errors.js";

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
 * values so they read the same cookie.
 *
 * @example
 * ```ts
 * export const sessionOptions = { cookieName: "app_session", ttl: 60 * 60 * 24 } satisfies SessionOptions;
 * ```
 */
export type SessionOptions = VaultConnection & {
  /** Cookie name (without the `__Host-` prefix). Default `"sv_session"`. */
  cookieName?: string;
  /** Sliding lifetime in seconds: the session lives this long after its last use. Default 7 days. */
  ttl?: number;
  /** Absolute lifetime in seconds from creation, never extended. Default: none. */
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
  /**
   * Refuse to write session data that holds an email address, phone number or card number:
   * writes throw `PIIError` (from `@sessionvault/tokenize`) naming the path. Keep personal
   * data in the vault with `tokenizeProfile` and put only the token in the session.
   * Default `false`.
   */
  strict?: boolean;
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

export interface ResolvedOptions {
  client(): VaultClient;
  cookieName: string;
  ttl: number;
  absoluteTtl: number | undefined;
  secure: boolean;
  hostPrefix: boolean | "auto";
  sameSite: "lax" | "strict";
  strict: boolean;
}

const DEFAULT_TTL = 7 * 24 * 60 * 60;
const COOKIE_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}$/;

function env(name: string): string | undefined {
  // The edge runtime has no `process` unless Next.js provides one.
  return typeof process === "undefined" ? undefined : process.env[name];
}

function seconds(name: string, value: number | undefined, fallback: number | undefined): number | undefined {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1 || value > 999_999_999) {
    throw new SessionError("INVALID_OPTIONS", `${name} must be a whole number of seconds between 1 and 999999999`);
  }
  return value;
}

export function resolveOptions(options: SessionOptions): ResolvedOptions {
  const cookieName = options.cookieName ?? "sv_session";
  if (!COOKIE_NAME.test(cookieName) || cookieName.startsWith("__")) {
    throw new SessionError("INVALID_OPTIONS", "cookieName must be a plain cookie token without a __ prefix");
  }
  const ttl = seconds("ttl", options.ttl, DEFAULT_TTL) as number;
  const absoluteTtl = seconds("absoluteTtl", options.absoluteTtl, undefined);
  let client: VaultClient | undefined = options.client;
  return {
    // Created lazily: `next build` evaluates modules before the runtime env is known.
    client() {
      if (client) return client;
      const baseUrl = options.baseUrl ?? env("SESSIONVAULT_URL");
      const token = options.token ?? env("SESSIONVAULT_TOKEN");
      if (!baseUrl || !token) {
        throw new SessionError(
          "INVALID_OPTIONS",
          "no vault configured: pass `client` or `baseUrl` and `token`, or set SESSIONVAULT_URL and SESSIONVAULT_TOKEN",
        );
      }
      client = createVaultClient({ baseUrl, token, ...(options.tenant ? { tenant: options.tenant } : {}) });
      return client;
    },
    cookieName,
    ttl,
    absoluteTtl,
    secure: options.secure ?? env("NODE_ENV") === "production",
    hostPrefix: options.hostPrefix ?? "auto",
    sameSite: options.sameSite ?? "lax",
    strict: options.strict ?? false,
  };
}

/** The cookie name and attributes for one request. */
export function cookieFor(
  options: ResolvedOptions,
  https: boolean,
): { name: string; attributes: CookieAttributes; expired: CookieAttributes } {
  const prefixed = options.hostPrefix === true || (options.hostPrefix === "auto" && https);
  const attributes: CookieAttributes = {
    httpOnly: true,
    sameSite: options.sameSite,
    secure: prefixed || options.secure,
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

export function windowFor(options: ResolvedOptions): { slidingtime: string; finaltime?: string } {
  return options.absoluteTtl === undefined
    ? { slidingtime: `${options.ttl}s` }
    : { slidingtime: `${options.ttl}s`, finaltime: `${options.absoluteTtl}s` };
}

export function assertSessionData(options: ResolvedOptions, data: unknown): asserts data is object {
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw new SessionError("INVALID_DATA", "session data must be a plain object");
  }
  if (options.strict) assertNoPII(data);
}

import { generateSessionId } from "@sessionvault/session";
import type { VaultStore } from "./store.js";

/**
 * koa-session options with the defaults every sessionvault adapter uses: the engine's
 * 256-bit ids, HttpOnly, SameSite=Lax, Secure in production. Anything given wins.
 *
 * @example
 * ```ts
 * app.use(session(vaultSessionOptions({ store, maxAge: 30 * 60_000 }), app));
 * ```
 */
export function vaultSessionOptions<O extends { store: VaultStore }>(options: O): O & { genid: () => string } {
  return {
    genid: generateSessionId,
    httpOnly: true,
    sameSite: "lax" as const,
    secure: process.env.NODE_ENV === "production",
    ...options,
  };
}

import { createHash, hash, timingSafeEqual } from "node:crypto";

/**
 * An access token from the configuration. `id` is what the audit log records.
 *
 * @example
 * ```ts
 * const tokens: AccessToken[] = [
 *   { id: "web", token: process.env.WEB_VAULT_TOKEN! },
 *   { id: "acme-admin", token: process.env.ACME_TOKEN!, tenants: ["acme"] },
 * ];
 * ```
 */
export interface AccessToken {
  /** A name for the token, recorded in the audit log instead of the token itself. */
  id: string;
  /** The secret sent in `X-Bunker-Token`. */
  token: string;
  /** When set, the token may only act in these tenants (and not without a tenant). */
  tenants?: string[];
}

interface Prepared {
  id: string;
  digest: Buffer;
  tenants: ReadonlySet<string> | null;
}

/**
 * Finds the token a request presented. Both sides are hashed to a fixed length first and
 * every configured token is compared, so timing reveals neither length nor position.
 */
export function createAuthenticator(tokens: readonly AccessToken[]) {
  const prepared: Prepared[] = tokens.map((t) => ({
    id: t.id,
    digest: createHash("sha256").update(t.token).digest(),
    tenants: t.tenants ? new Set(t.tenants) : null,
  }));
  return (presented: string | undefined, tenant: string | null): string | null => {
    const digest = hash("sha256", presented ?? "", "buffer");
    let match: Prepared | null = null;
    for (const candidate of prepared) {
      if (timingSafeEqual(candidate.digest, digest) && presented) match = candidate;
    }
    if (!match) return null;
    if (match.tenants && (tenant === null || !match.tenants.has(tenant))) return null;
    return match.id;
  };
}

/** Who is calling and in which tenant. */
export interface CallContext {
  /** Configured id of the access token used. */
  actor: string;
  /** Tenant name from `X-Bunker-Tenant`, or null. */
  tenant: string | null;
}

export type Json = Record<string, unknown>;

/** How a user is named in a request: by token or by one of the profile's identities. */
export type Mode = "token" | "login" | "email" | "phone" | "custom";

export const IDENTITY_MODES = ["login", "email", "phone", "custom"] as const;
export type IdentityMode = (typeof IDENTITY_MODES)[number];

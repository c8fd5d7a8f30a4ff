import { createHash } from "node:crypto";
import type { Adapter, AdapterAccount, AdapterSession, AdapterUser, VerificationToken } from "@auth/core/adapters";
import {
  type Profile,
  type VaultClient,
  VaultConflictError,
  VaultNotFoundError,
  VaultValidationError,
} from "@sessionvault/client";
import { finalTimeOf, type StoredSession } from "./sessions.js";

/**
 * Options of {@link SessionVaultAdapter}.
 *
 * @example
 * ```ts
 * const options: SessionVaultAdapterOptions = { vault: createVaultClient({ baseUrl, token }) };
 * ```
 */
export interface SessionVaultAdapterOptions {
  /** The vault client; users, accounts, sessions and verification tokens all live there. */
  vault: VaultClient;
}

interface UserProfile {
  email: string;
  name?: string | null;
  image?: string | null;
  emailVerified?: string | null;
  /** `custom` identities of this user's account records, so erasing the user finds them. */
  accounts?: string[];
}

const accountKey = (provider: string, providerAccountId: string): string =>
  `authjs-account:${createHash("sha256").update(`${provider}\u0000${providerAccountId}`).digest("hex")}`;

// Only a hash of the emailed token names its record: a stolen vault holds no usable link.
const verificationId = (identifier: string, token: string): string =>
  `authjs-vt-${createHash("sha256").update(`${identifier}\u0000${token}`).digest("hex")}`;

const toUser = (id: string, profile: Profile): AdapterUser => {
  const p = profile as unknown as UserProfile;
  return {
    id,
    email: p.email,
    name: p.name ?? null,
    image: p.image ?? null,
    emailVerified: p.emailVerified ? new Date(p.emailVerified) : null,
  };
};

const toProfile = (user: Partial<AdapterUser>, accounts: string[]): Profile => {
  const profile: Record<string, unknown> = { accounts };
  if (user.email !== undefined) profile.email = user.email;
  if (user.name !== undefined) profile.name = user.name;
  if (user.image !== undefined) profile.image = user.image;
  if (user.emailVerified !== undefined) profile.emailVerified = user.emailVerified?.toISOString() ?? null;
  return profile as Profile;
};

/**
 * An Auth.js database adapter on the sessionvault vault. Profiles and OAuth accounts are
 * stored encrypted; `getUserByEmail` uses the vault's keyed-hash lookup; the user id Auth.js
 * sees is the vault's opaque user token; sessions are linked to their user, so they can be
 * listed and revoked everywhere.
 *
 * @example
 * ```ts
 * import NextAuth from "next-auth";
 * import { createVaultClient } from "@sessionvault/client";
 * import { SessionVaultAdapter } from "@sessionvault/authjs";
 *
 * const vault = createVaultClient({ baseUrl: process.env.SESSIONVAULT_URL!, token: process.env.SESSIONVAULT_TOKEN! });
 * export const { handlers, auth } = NextAuth({ adapter: SessionVaultAdapter({ vault }), providers: [] });
 * ```
 */
export function SessionVaultAdapter(options: SessionVaultAdapterOptions): Adapter {
  const { vault } = options;

  const readUser = async (id: string): Promise<{ token: string; profile: UserProfile } | null> => {
    try {
      const found = await vault.getUser("token", id);
      return found ? { token: found.token, profile: found.profile as unknown as UserProfile } : null;
    } catch (error) {
      // An id that is not a vault token at all names no user.
      if (error instanceof VaultValidationError) return null;
      throw error;
    }
  };

  const readSession = async (sessionToken: string): Promise<StoredSession | null> => {
    const found = await vault.getSession<StoredSession>(sessionToken);
    if (!found || Date.parse(found.data.expires) <= Date.now()) return null;
    return found.data;
  };

  return {
    async createUser(user) {
      const { token } = await vault.createUser(toProfile(user, []));
      return { ...toUser(token, toProfile(user, [])), id: token };
    },

    async getUser(id) {
      const found = await readUser(id);
      return found ? toUser(found.token, found.profile as unknown as Profile) : null;
    },

    async getUserByEmail(email) {
      const found = await vault.getUser("email", email);
      return found ? toUser(found.token, found.profile) : null;
    },

    async getUserByAccount({ provider, providerAccountId }) {
      const account = await vault.getUser("custom", accountKey(provider, providerAccountId));
      const userId = (account?.profile as { userId?: string } | undefined)?.userId;
      if (!userId) return null;
      const found = await readUser(userId);
      return found ? toUser(found.token, found.profile as unknown as Profile) : null;
    },

    async updateUser(user) {
      const found = await readUser(user.id);
      if (!found) throw new Error("SessionVaultAdapter.updateUser: no user with this id");
      const { id: _id, ...changes } = user;
      const merged = { ...found.profile, ...(toProfile(changes, found.profile.accounts ?? []) as object) };
      await vault.updateUser("token", user.id, merged as Profile);
      return toUser(user.id, merged as Profile);
    },

    async deleteUser(userId) {
      const found = await readUser(userId);
      if (!found) return null;
      await vault.revokeUserSessions("token", userId);
      for (const key of found.profile.accounts ?? []) {
        await vault.deleteUser("custom", key).catch((error: unknown) => {
          if (!(error instanceof VaultNotFoundError)) throw error;
        });
      }
      await vault.deleteUser("token", userId);
      return toUser(userId, found.profile as unknown as Profile);
    },

    async linkAccount(account) {
      const key = accountKey(account.provider, account.providerAccountId);
      await vault.createUser({ ...(account as Record<string, unknown>), custom: key } as Profile);
      const found = await readUser(account.userId);
      if (found) {
        const accounts = [...new Set([...(found.profile.accounts ?? []), key])];
        await vault.updateUser("token", account.userId, { ...found.profile, accounts } as unknown as Profile);
      }
      return account;
    },

    async unlinkAccount({ provider, providerAccountId }) {
      const key = accountKey(provider, providerAccountId);
      const account = await vault.getUser("custom", key);
      if (!account) return undefined;
      await vault.deleteUser("custom", key);
      const { custom: _custom, ...stored } = account.profile as Record<string, unknown>;
      const found = await readUser(stored.userId as string);
      if (found) {
        const accounts = (found.profile.accounts ?? []).filter((k) => k !== key);
        await vault.updateUser("token", found.token, { ...found.profile, accounts } as unknown as Profile);
      }
      return stored as unknown as AdapterAccount;
    },

    async createSession({ sessionToken, userId, expires }) {
      const data: StoredSession = { userId, expires: expires.toISOString() };
      await vault.upsertSession(sessionToken, data, { usertoken: userId, finaltime: finalTimeOf(expires) });
      return { sessionToken, userId, expires };
    },

    async getSessionAndUser(sessionToken) {
      const session = await readSession(sessionToken);
      if (!session) return null;
      const user = await readUser(session.userId);
      if (!user) return null;
      return {
        session: { sessionToken, userId: session.userId, expires: new Date(session.expires) },
        user: toUser(user.token, user.profile as unknown as Profile),
      };
    },

    async updateSession({ sessionToken, ...changes }) {
      const session = await readSession(sessionToken);
      if (!session) return null;
      const expires = changes.expires ?? new Date(session.expires);
      const data: StoredSession = { userId: changes.userId ?? session.userId, expires: expires.toISOString() };
      await vault.upsertSession(sessionToken, data, { usertoken: data.userId, finaltime: finalTimeOf(expires) });
      return { sessionToken, userId: data.userId, expires } satisfies AdapterSession;
    },

    async deleteSession(sessionToken) {
      const session = await readSession(sessionToken);
      await vault.deleteSession(sessionToken);
      return session ? { sessionToken, userId: session.userId, expires: new Date(session.expires) } : null;
    },

    async createVerificationToken(verificationToken) {
      const { identifier, token, expires } = verificationToken;
      await vault.upsertSession(
        verificationId(identifier, token),
        { expires: expires.toISOString() },
        { finaltime: finalTimeOf(expires), expectversion: 0 },
      );
      return verificationToken;
    },

    async useVerificationToken({ identifier, token }): Promise<VerificationToken | null> {
      const id = verificationId(identifier, token);
      const found = await vault.getSession<{ expires: string; used?: true }>(id);
      if (!found || found.data.used) return null;
      try {
        // Compare-and-set on the version: of two concurrent uses exactly one write succeeds.
        await vault.upsertSession(id, { ...found.data, used: true }, { expectversion: found.version });
      } catch (error) {
        if (error instanceof VaultConflictError) return null;
        throw error;
      }
      await vault.deleteSession(id);
      const expires = new Date(found.data.expires);
      return expires.getTime() > Date.now() ? { identifier, token, expires } : null;
    },
  };
}

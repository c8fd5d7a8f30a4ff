import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Adapter, AdapterAccount } from "@auth/core/adapters";
import { createVaultClient, type VaultClient } from "@sessionvault/client";
import { type RunningVault, startVault } from "@sessionvault/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listUserSessions, revokeUserSessions, SessionVaultAdapter } from "../src/index.js";

// The checks of Auth.js's adapter contract (the `runBasicTests` suite of the next-auth
// repository, which is not published to npm), run against a real vault over HTTP.

let vault: RunningVault;
let client: VaultClient;
let adapter: Required<Adapter>;
const secrets: string[] = [];

const unique = (label: string) => `${label}-${Math.random().toString(36).slice(2)}`;
const newUser = () => {
  const email = `${unique("ada")}@example.com`;
  const name = unique("Ada Lovelace");
  secrets.push(email, name);
  return { id: "ignored", email, name, image: "https://example.com/ada.png", emailVerified: null };
};
const inOneHour = () => new Date(Date.now() + 3_600_000);

beforeAll(async () => {
  vault = await startVault({ driver: "sqlite" });
  client = createVaultClient({ baseUrl: vault.url, token: vault.token });
  adapter = SessionVaultAdapter({ vault: client }) as Required<Adapter>;
});

afterAll(async () => {
  await vault?.destroy();
});

describe("users", () => {
  it("createUser returns an opaque vault token as id, and getUser/getUserByEmail find it", async () => {
    const input = newUser();
    const user = await adapter.createUser(input);
    expect(user.id).not.toBe("ignored");
    expect(user.id).not.toContain(input.email);
    expect(user).toMatchObject({ email: input.email, name: input.name, image: input.image, emailVerified: null });
    expect(await adapter.getUser(user.id)).toEqual(user);
    expect(await adapter.getUserByEmail(input.email)).toEqual(user);
  });

  it("getUser and getUserByEmail return null for unknown users", async () => {
    expect(await adapter.getUser("not-a-vault-token")).toBeNull();
    expect(await adapter.getUserByEmail("nobody@example.com")).toBeNull();
  });

  it("updateUser merges fields and keeps emailVerified a Date", async () => {
    const user = await adapter.createUser(newUser());
    const verified = new Date("2026-11-30T10:00:00.000Z");
    const updated = await adapter.updateUser({ id: user.id, name: "Countess", emailVerified: verified });
    expect(updated).toMatchObject({ id: user.id, email: user.email, name: "Countess", emailVerified: verified });
    expect(await adapter.getUser(user.id)).toEqual(updated);
  });
});

describe("accounts", () => {
  it("linkAccount seals the account; getUserByAccount finds the user; unlinkAccount removes it", async () => {
    const user = await adapter.createUser(newUser());
    const account: AdapterAccount = {
      userId: user.id,
      type: "oauth",
      provider: "github",
      providerAccountId: unique("gh"),
      access_token: unique("gho_access"),
      refresh_token: unique("ghr_refresh"),
      id_token: unique("eyJ-id"),
      token_type: "bearer",
      scope: "read:user",
      expires_at: 1_900_000_000,
    };
    secrets.push(account.access_token!, account.refresh_token!, account.id_token!);
    await adapter.linkAccount(account);
    const ref = { provider: "github", providerAccountId: account.providerAccountId };
    expect(await adapter.getUserByAccount(ref)).toEqual(user);
    expect(
      await adapter.getUserByAccount({ provider: "gitlab", providerAccountId: account.providerAccountId }),
    ).toBeNull();
    const removed = await adapter.unlinkAccount(ref);
    expect(removed).toMatchObject({ provider: "github", access_token: account.access_token });
    expect(await adapter.getUserByAccount(ref)).toBeNull();
    expect(await adapter.getUser(user.id)).toEqual(user);
  });
});

describe("sessions", () => {
  it("createSession, getSessionAndUser, updateSession, deleteSession", async () => {
    const user = await adapter.createUser(newUser());
    const sessionToken = unique("st");
    const expires = inOneHour();
    expect(await adapter.createSession({ sessionToken, userId: user.id, expires })).toEqual({
      sessionToken,
      userId: user.id,
      expires,
    });
    expect(await adapter.getSessionAndUser(sessionToken)).toEqual({
      session: { sessionToken, userId: user.id, expires },
      user,
    });
    const later = new Date(expires.getTime() + 3_600_000);
    expect(await adapter.updateSession({ sessionToken, expires: later })).toMatchObject({ expires: later });
    expect((await adapter.getSessionAndUser(sessionToken))?.session.expires).toEqual(later);
    expect(await adapter.deleteSession(sessionToken)).toMatchObject({ sessionToken, userId: user.id });
    expect(await adapter.getSessionAndUser(sessionToken)).toBeNull();
    expect(await adapter.updateSession({ sessionToken, expires: later })).toBeNull();
  });

  it("an expired session is never returned", async () => {
    const user = await adapter.createUser(newUser());
    const sessionToken = unique("st");
    await adapter.createSession({ sessionToken, userId: user.id, expires: new Date(Date.now() + 1_200) });
    expect(await adapter.getSessionAndUser(sessionToken)).not.toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    expect(await adapter.getSessionAndUser(sessionToken)).toBeNull();
    expect(await listUserSessions(client, user.id)).toEqual([]);
  });

  it("a user's sessions are listed and revoked everywhere except the current one", async () => {
    const user = await adapter.createUser(newUser());
    const tokens = [unique("st"), unique("st"), unique("st")];
    for (const sessionToken of tokens)
      await adapter.createSession({ sessionToken, userId: user.id, expires: inOneHour() });
    const listed = await listUserSessions(client, user.id);
    expect(listed.map((s) => s.sessionToken).sort()).toEqual([...tokens].sort());
    await revokeUserSessions(client, user.id, { keep: [tokens[0]!] });
    expect((await listUserSessions(client, user.id)).map((s) => s.sessionToken)).toEqual([tokens[0]]);
    expect(await adapter.getSessionAndUser(tokens[1]!)).toBeNull();
    expect(await adapter.getSessionAndUser(tokens[0]!)).not.toBeNull();
  });
});

describe("verification tokens", () => {
  it("are single use", async () => {
    const vt = { identifier: `${unique("v")}@example.com`, token: unique("tok"), expires: inOneHour() };
    secrets.push(vt.identifier);
    expect(await adapter.createVerificationToken(vt)).toEqual(vt);
    expect(await adapter.useVerificationToken({ identifier: vt.identifier, token: vt.token })).toEqual(vt);
    expect(await adapter.useVerificationToken({ identifier: vt.identifier, token: vt.token })).toBeNull();
  });

  it("do not match another identifier or token", async () => {
    const vt = { identifier: `${unique("v")}@example.com`, token: unique("tok"), expires: inOneHour() };
    await adapter.createVerificationToken(vt);
    expect(await adapter.useVerificationToken({ identifier: "other@example.com", token: vt.token })).toBeNull();
    expect(await adapter.useVerificationToken({ identifier: vt.identifier, token: "other" })).toBeNull();
    expect(await adapter.useVerificationToken(vt)).toEqual(vt);
  });

  it("two concurrent uses of one token: exactly one wins", async () => {
    for (let round = 0; round < 5; round++) {
      const vt = { identifier: `${unique("v")}@example.com`, token: unique("tok"), expires: inOneHour() };
      await adapter.createVerificationToken(vt);
      const results = await Promise.all([adapter.useVerificationToken(vt), adapter.useVerificationToken(vt)]);
      expect(results.filter((r) => r !== null)).toEqual([vt]);
    }
  });

  it("expire", async () => {
    const vt = {
      identifier: `${unique("v")}@example.com`,
      token: unique("tok"),
      expires: new Date(Date.now() + 1_000),
    };
    await adapter.createVerificationToken(vt);
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    expect(await adapter.useVerificationToken(vt)).toBeNull();
  });
});

describe("erasure", () => {
  it("deleteUser removes the profile, the accounts and every session", async () => {
    const user = await adapter.createUser(newUser());
    const providerAccountId = unique("gh");
    await adapter.linkAccount({ userId: user.id, type: "oauth", provider: "github", providerAccountId });
    const sessionTokens = [unique("st"), unique("st")];
    for (const sessionToken of sessionTokens)
      await adapter.createSession({ sessionToken, userId: user.id, expires: inOneHour() });

    await adapter.deleteUser(user.id);

    expect(await adapter.getUser(user.id)).toBeNull();
    expect(await adapter.getUserByEmail(user.email)).toBeNull();
    expect(await adapter.getUserByAccount({ provider: "github", providerAccountId })).toBeNull();
    for (const sessionToken of sessionTokens) {
      expect(await adapter.getSessionAndUser(sessionToken)).toBeNull();
      expect(await client.getSession(sessionToken)).toBeNull();
    }
  });
});

describe("privacy", () => {
  it("the vault's SQLite file and WAL hold no email, name or OAuth token in plaintext", async () => {
    const files = readdirSync(vault.dataDir).filter((f) => f.startsWith("vault.db"));
    expect(files).toContain("vault.db");
    expect(secrets.length).toBeGreaterThan(10);
    for (const file of files) {
      const bytes = readFileSync(join(vault.dataDir, file));
      for (const secret of secrets)
        expect(bytes.includes(Buffer.from(secret)), `${file} holds a test secret`).toBe(false);
    }
  });
});

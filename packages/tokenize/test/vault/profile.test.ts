import { randomUUID } from "node:crypto";
import { isVaultError } from "@sessionvault/client";
import { describe, expect, it } from "vitest";
import { createTokenizer, forgetUser, resolveProfile, tokenize, tokenizeProfile } from "../../src/index.js";
import { sessionId, uniqueEmail, useVault } from "./helpers.js";

const vault = useVault();

describe("tokenizeProfile / resolveProfile", () => {
  it("stores a profile and reads it back by its token", async () => {
    const profile = { email: uniqueEmail(), name: "Ada Lovelace", address: { city: "London" } };
    const token = await tokenizeProfile(vault.client(), profile);
    expect(token).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(await resolveProfile(vault.client(), token)).toEqual(profile);
  });

  it("returns null for a token the vault does not know", async () => {
    expect(await resolveProfile(vault.client(), randomUUID())).toBeNull();
  });

  it("throws the vault's conflict error by default when an identity is taken", async () => {
    const email = uniqueEmail();
    await tokenizeProfile(vault.client(), { email, name: "first" });
    const error = await tokenizeProfile(vault.client(), { email, name: "second" }).catch((e: unknown) => e);
    expect(isVaultError(error)).toBe(true);
    expect(isVaultError(error) && error.status).toBe(409);
    expect(String(error)).not.toContain(email);
  });

  it("reuses the existing user's token, leaving the profile alone, with onConflict: reuse", async () => {
    const email = uniqueEmail();
    const first = await tokenizeProfile(vault.client(), { email, name: "first" });
    const again = await tokenizeProfile(vault.client(), { email, name: "second" }, { onConflict: "reuse" });
    expect(again).toBe(first);
    expect(await resolveProfile(vault.client(), first)).toEqual({ email, name: "first" });
  });

  it("replaces the stored profile and keeps the token with onConflict: update", async () => {
    const login = `login-${randomUUID()}`;
    const first = await tokenizeProfile(vault.client(), { login, name: "first" });
    const again = await tokenizeProfile(vault.client(), { login, name: "second" }, { onConflict: "update" });
    expect(again).toBe(first);
    expect(await resolveProfile(vault.client(), first)).toEqual({ login, name: "second" });
  });
});

describe("forgetUser (erasure)", () => {
  it("deletes every session of the user, then the profile and named tokens, and nothing else", async () => {
    const client = vault.client();
    const email = uniqueEmail();
    const usertoken = await tokenizeProfile(client, { email, phone: "+44 20 7946 0958" });
    const card = await tokenize(client, "4242424242424242", "creditcard");
    const laptop = sessionId();
    const phone = sessionId();
    const stranger = sessionId();
    await client.upsertSession(laptop, { usertoken, device: "laptop" }, { usertoken, slidingtime: "1h" });
    await client.upsertSession(phone, { usertoken, device: "phone" }, { usertoken, slidingtime: "1h" });
    const otherUser = await tokenizeProfile(client, { email: uniqueEmail() });
    await client.upsertSession(stranger, { usertoken: otherUser }, { usertoken: otherUser, slidingtime: "1h" });
    expect((await client.listUserSessions("email", email)).total).toBe(2);

    const result = await forgetUser(client, { mode: "email", identity: email }, { tokens: [card.tokenuuid] });

    expect(result).toEqual({ sessionsRevoked: 2, profileDeleted: true, tokensDeleted: 1 });
    expect(await client.getSession(laptop)).toBeNull();
    expect(await client.getSession(phone)).toBeNull();
    expect(await resolveProfile(client, usertoken)).toBeNull();
    expect(await client.getUser("email", email)).toBeNull();
    expect(await client.getUser("phone", "+44 20 7946 0958")).toBeNull();
    expect(await client.getToken(card.tokenuuid)).toBeNull();
    // The other user is untouched.
    expect((await client.getSession(stranger))?.data).toEqual({ usertoken: otherUser });
    expect(await resolveProfile(client, otherUser)).not.toBeNull();
  });

  it("is idempotent: erasing an erased user reports zeros instead of failing", async () => {
    const client = vault.client();
    const usertoken = await tokenizeProfile(client, { email: uniqueEmail() });
    await client.upsertSession(sessionId(), { usertoken }, { usertoken });
    expect(await forgetUser(client, { mode: "token", identity: usertoken })).toEqual({
      sessionsRevoked: 1,
      profileDeleted: true,
      tokensDeleted: 0,
    });
    expect(await forgetUser(client, { mode: "token", identity: usertoken }, { tokens: [randomUUID()] })).toEqual({
      sessionsRevoked: 0,
      profileDeleted: false,
      tokensDeleted: 0,
    });
  });

  it("still surfaces errors other than not-found", async () => {
    const error = await forgetUser(vault.client(), { mode: "email", identity: "" }).catch((e: unknown) => e);
    expect(isVaultError(error) && error.status).toBe(400);
  });
});

describe("createTokenizer", () => {
  it("binds every helper to one client", async () => {
    const tokens = createTokenizer(vault.client());
    const email = uniqueEmail();
    const usertoken = await tokens.tokenizeProfile({ email });
    expect(await tokens.resolveProfile<{ email: string }>(usertoken)).toEqual({ email });
    const { tokenuuid } = await tokens.tokenize(email, "email");
    expect(await tokens.detokenize(tokenuuid)).toBe(email);
    expect(await tokens.forgetUser({ mode: "email", identity: email }, { tokens: [tokenuuid] })).toEqual({
      sessionsRevoked: 0,
      profileDeleted: true,
      tokensDeleted: 1,
    });
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createVaultClient,
  VaultAuthError,
  type VaultClient,
  VaultConflictError,
  VaultNetworkError,
  VaultNotFoundError,
  VaultPayloadTooLargeError,
  VaultValidationError,
} from "../../src/index.js";
import { type RunningVault, startVault } from "./vault.js";

// Every facade method against the real vault over real HTTP: the msw tests pin the
// wire shape, these prove the real server agrees with it.
describe("against a real vault", () => {
  let running: RunningVault;
  let vault: VaultClient;

  beforeAll(async () => {
    running = await startVault();
    vault = createVaultClient({ baseUrl: running.url, token: running.token });
  });
  afterAll(async () => {
    await running?.destroy();
  });

  const newId = () => `e2e-${crypto.randomUUID()}`;

  it("writes, reads, patches, touches and deletes a session", async () => {
    const id = newId();
    expect(await vault.upsertSession(id, { user: "ada", flash: "hi" }, { slidingtime: "30m" })).toEqual({ version: 1 });
    const read = await vault.getSession<{ user: string; flash?: string; cart?: string[] }>(id);
    expect(read).toMatchObject({ data: { user: "ada", flash: "hi" }, version: 1, usertoken: null });
    expect(read?.expires).toBeGreaterThan(Date.now());
    expect(await vault.patchSession(id, { set: { cart: ["sku-1"] }, unset: ["flash"] })).toEqual({ version: 2 });
    expect((await vault.getSession(id))?.data).toEqual({ user: "ada", cart: ["sku-1"] });
    const touched = await vault.touchSession(id, { slidingtime: "1h" });
    expect(touched?.expires).toBeGreaterThan(Date.now() + 59 * 60_000);
    await vault.deleteSession(id);
    expect(await vault.getSession(id)).toBeNull();
    expect(await vault.touchSession(id)).toBeNull();
    expect(await vault.patchSession(id, { set: { a: 1 } })).toBeNull();
    await expect(vault.deleteSession(id)).resolves.toBeUndefined();
  });

  it("creates with patch when asked, and enforces expectversion", async () => {
    const id = newId();
    expect(await vault.patchSession(id, { set: { a: 1 } }, { create: true })).toEqual({ version: 1 });
    await expect(vault.upsertSession(id, { a: 2 }, { expectversion: 0 })).rejects.toBeInstanceOf(VaultConflictError);
    expect(await vault.upsertSession(id, { a: 2 }, { expectversion: 1 })).toEqual({ version: 2 });
    await expect(vault.patchSession(id, { set: { a: 3 } }, { expectversion: 1 })).rejects.toBeInstanceOf(
      VaultConflictError,
    );
  });

  it("links sessions to a user, lists and revokes them", async () => {
    const email = `ada-${crypto.randomUUID()}@example.com`;
    const { token } = await vault.createUser({ email, name: "Ada" }, { slidingtime: "7d" });
    expect(await vault.getUser("email", email)).toEqual({ token, profile: { email, name: "Ada" } });
    const [a, b, c] = [newId(), newId(), newId()];
    for (const id of [a, b, c]) await vault.upsertSession(id, { device: id }, { usertoken: token });
    const listed = await vault.listUserSessions<{ device: string }>("token", token);
    expect(listed.total).toBe(3);
    expect(listed.rows.map((row) => row.sessionuuid).sort()).toEqual([a, b, c].sort());
    expect(listed.rows.every((row) => row.usertoken === token && row.data.device === row.sessionuuid)).toBe(true);
    expect((await vault.listUserSessions("email", email, { limit: 1 })).rows).toHaveLength(1);
    expect(await vault.revokeUserSessions("email", email, { keep: [a] })).toEqual({ deleted: 2 });
    expect(await vault.getSession(a)).not.toBeNull();
    expect(await vault.getSession(b)).toBeNull();
    await vault.upsertSession(a, { device: a }, { usertoken: null });
    expect((await vault.listUserSessions("email", email)).total).toBe(0);
    await vault.updateUser("token", token, { email, name: "Ada L." });
    expect((await vault.getUser("token", token))?.profile).toEqual({ email, name: "Ada L." });
    await vault.deleteUser("email", email);
    expect(await vault.getUser("token", token)).toBeNull();
    await expect(vault.deleteUser("token", token)).rejects.toBeInstanceOf(VaultNotFoundError);
    await expect(vault.updateUser("token", token, {})).rejects.toBeInstanceOf(VaultNotFoundError);
  });

  it("tokenizes values", async () => {
    const card = await vault.createToken("creditcard", "4111111111111111", { unique: true });
    expect(card.tokenbase).toMatch(/^\d{12}1111$/);
    expect(await vault.createToken("creditcard", "4111111111111111", { unique: true })).toEqual(card);
    expect(await vault.getToken(card.tokenuuid)).toEqual({ record: "4111111111111111", tokentype: "creditcard" });
    const created = await vault.createTokens([
      { tokentype: "email", record: "ada@example.com" },
      { tokentype: "string", record: "hello" },
    ]);
    expect(created.map((t) => t.tokentype)).toEqual(["email", "string"]);
    await vault.deleteToken(card.tokenuuid);
    expect(await vault.getToken(card.tokenuuid)).toBeNull();
    await expect(vault.deleteToken(card.tokenuuid)).rejects.toBeInstanceOf(VaultNotFoundError);
  });

  it("finds a token by its base only when it was created with baselookup", async () => {
    const hidden = await vault.createToken("email", "hidden.base@example.com");
    expect(await vault.getToken(hidden.tokenbase)).toBeNull();
    await expect(vault.deleteToken(hidden.tokenbase)).rejects.toBeInstanceOf(VaultNotFoundError);
    expect(await vault.getToken(hidden.tokenuuid)).toEqual({ record: "hidden.base@example.com", tokentype: "email" });
    const open = await vault.createToken("email", "open.base@example.com", { baselookup: true });
    expect(await vault.getToken(open.tokenbase)).toEqual({ record: "open.base@example.com", tokentype: "email" });
    const [bulk] = await vault.createTokens([{ tokentype: "creditcard", record: "5500005555555559" }], {
      baselookup: true,
    });
    expect(await vault.getToken(bulk!.tokenbase)).toEqual({ record: "5500005555555559", tokentype: "creditcard" });
    await vault.deleteToken(bulk!.tokenbase);
    expect(await vault.getToken(bulk!.tokenuuid)).toBeNull();
  });

  it("maps the real vault's errors to their classes", async () => {
    await expect(vault.upsertSession("short", {})).rejects.toBeInstanceOf(VaultValidationError);
    await expect(vault.getUser("email", "")).rejects.toBeInstanceOf(VaultValidationError);
    const intruder = createVaultClient({ baseUrl: running.url, token: "not-the-token" });
    await expect(intruder.getSession(newId())).rejects.toBeInstanceOf(VaultAuthError);
    await expect(vault.upsertSession(newId(), { big: "x".repeat(2 * 1024 * 1024) })).rejects.toBeInstanceOf(
      VaultPayloadTooLargeError,
    );
  });

  it("keeps the vault's error messages free of the session id and data", async () => {
    const id = newId();
    const error = await vault
      .upsertSession(id, { email: "ada@example.com" }, { slidingtime: "forever" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VaultValidationError);
    const text = JSON.stringify(error) + String(error);
    expect(text).not.toContain(id);
    expect(text).not.toContain("ada@example.com");
    expect(text).not.toContain(running.token);
  });

  // Last: it stops and restarts the shared vault.
  it("reports a stopped vault as a retryable VaultNetworkError, and carries on after a restart", async () => {
    const id = newId();
    await vault.upsertSession(id, { kept: true });
    await running.stop();
    const fast = createVaultClient({
      baseUrl: running.url,
      token: running.token,
      retry: { retries: 1, minDelayMs: 1, maxDelayMs: 1 },
    });
    const error = await fast.getSession(id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VaultNetworkError);
    expect(error).toMatchObject({ status: 0, retryable: true, operation: "SessionGet" });
    await running.restart();
    expect((await vault.getSession(id))?.data).toEqual({ kept: true });
  });
});

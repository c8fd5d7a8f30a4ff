import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createVaultClient, isVaultError, type VaultClient } from "../../src/index.js";
import {
  cookieWindow,
  generateSessionId,
  SessionState,
  SessionStoreCore,
  SessionStoreError,
  toStoreError,
} from "../../src/store/index.js";
import { type RunningVault, startVault } from "../e2e/vault.js";

// The core against a real vault: the same calls every adapter makes.
let vault: RunningVault;
let client: VaultClient;

beforeAll(async () => {
  vault = await startVault();
  client = createVaultClient({ baseUrl: vault.url, token: vault.token });
}, 60_000);

afterAll(async () => {
  await vault?.stop();
});

const hour = () => cookieWindow({ maxAgeMs: 3_600_000, ttlSeconds: 1 }, Date.now());

describe("SessionStoreCore", () => {
  it("writes a new session whole, then patches only the keys a request changed", async () => {
    const core = new SessionStoreCore({ client });
    const id = generateSessionId();
    expect(await core.save(id, { a: 1, b: 1 }, hour(), new SessionState())).toBe("written");

    const first = new SessionState();
    const second = new SessionState();
    const one = await core.load(id, first);
    const two = await core.load(id, second);
    expect(one?.data).toEqual({ a: 1, b: 1 });
    // Two racing requests, each changing its own key: both changes survive.
    await core.save(id, { ...one?.data, a: 2 }, hour(), first);
    await core.save(id, { ...two?.data, b: 2 }, hour(), second);
    expect((await client.getSession(id))?.data).toEqual({ a: 2, b: 2 });
  });

  it("does not call the vault for an unchanged session the load already extended", async () => {
    const core = new SessionStoreCore({ client });
    const id = generateSessionId();
    await core.save(id, { n: 1 }, hour(), new SessionState());
    const state = new SessionState();
    const found = await core.load(id, state);
    expect(await core.save(id, { ...found?.data }, hour(), state)).toBe("skipped");
    expect(await core.touch(id, hour(), state)).toBe("skipped");
  });

  it("extends an unchanged session with a touch, at most once per touchAfter", async () => {
    const core = new SessionStoreCore({ client, touchAfter: 60 });
    const id = generateSessionId();
    await core.save(id, { n: 1 }, cookieWindow({ maxAgeMs: 60_000, ttlSeconds: 1 }, Date.now()), new SessionState());
    expect(await core.touch(id, hour())).toBe("skipped"); // written just now
    const fresh = new SessionStoreCore({ client, touchAfter: 60 });
    expect(await fresh.touch(id, hour())).toBe("extended");
    expect(await fresh.touch(id, hour())).toBe("skipped");
    const expires = (await client.getSession(id))?.expires ?? 0;
    expect(expires).toBeGreaterThan(Date.now() + 3_000_000);
  });

  it("keeps a session destroyed meanwhile destroyed, and deletes on an expired cookie", async () => {
    const core = new SessionStoreCore({ client });
    const id = generateSessionId();
    await core.save(id, { n: 1 }, hour(), new SessionState());
    const state = new SessionState();
    await core.load(id, state);
    await client.deleteSession(id);
    expect(await core.save(id, { n: 2 }, hour(), state)).toBe("gone");
    expect(await client.getSession(id)).toBeNull();

    const other = generateSessionId();
    await core.save(other, { n: 1 }, hour(), new SessionState());
    expect(await core.save(other, { n: 1 }, null)).toBe("deleted");
    expect(await client.getSession(other)).toBeNull();
  });

  it("links a session to a user, carries the link to a regenerated id, and revokes it", async () => {
    const core = new SessionStoreCore({ client });
    const login = `ada-${generateSessionId().slice(0, 8)}`;
    const { token } = await client.createUser({ login });
    const id = generateSessionId();
    const state = new SessionState();
    core.link(state, token);
    await core.save(id, { cart: ["book"] }, hour(), state);
    expect(core.userToken(state)).toBe(token);

    // Regenerate keeping data: the same state saved under a new id inherits the link.
    const renewed = generateSessionId();
    await core.destroy(id, state);
    await core.save(renewed, { cart: ["book"] }, hour(), state);
    const { rows } = await core.listUserSessions("login", login);
    expect(rows.map((row) => row.sessionuuid)).toEqual([renewed]);

    expect(await core.revokeUser("login", login)).toEqual({ deleted: 1 });
    expect(await core.load(renewed)).toBeNull();
  });

  it("runs strict mode's detector on new data and on changed keys only", async () => {
    const seen: unknown[] = [];
    const detector = (data: Record<string, unknown>) => {
      seen.push(data);
      if (JSON.stringify(data).includes("@")) throw new Error("personal data");
    };
    const core = new SessionStoreCore({ client, strict: true }, { detector });
    const id = generateSessionId();
    await expect(core.save(id, { email: "ada@example.com" }, hour(), new SessionState())).rejects.toThrow(
      "personal data",
    );
    expect(await client.getSession(id)).toBeNull();
    const state = new SessionState();
    await core.save(id, { a: 1 }, hour(), state);
    await core.save(id, { a: 1, b: 2 }, hour(), state);
    expect(seen.at(-1)).toEqual({ b: 2 });
    expect(() => new SessionStoreCore({ client, strict: true })).toThrow(TypeError);
  });

  it("turns a vault refusal into a 500 SessionStoreError whose message names no id", async () => {
    const core = new SessionStoreCore({ baseUrl: vault.url, token: "wrong-token", retry: false });
    const id = generateSessionId();
    const error = await core.load(id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SessionStoreError);
    const refusal = error as SessionStoreError;
    expect([refusal.status, refusal.statusCode, refusal.expose]).toEqual([500, 500, false]);
    expect(isVaultError(refusal.cause)).toBe(true);
    expect(refusal.cause.status).toBe(403);
    expect(refusal.message).not.toContain(id);
    expect(refusal.message).not.toContain("wrong-token");
  });

  it("passes an unreachable vault on as the client's retryable VaultError", async () => {
    const core = new SessionStoreCore({ baseUrl: "http://127.0.0.1:9", token: "t", retry: false });
    const error = await core.load(generateSessionId()).catch((e: unknown) => e);
    expect(isVaultError(error)).toBe(true);
    expect((error as { status: number; retryable: boolean }).status).toBe(0);
    expect(toStoreError("plain")).toBeInstanceOf(Error);
  });

  it("treats an id that cannot be one as a miss without a vault call, and refuses to write it", async () => {
    const core = new SessionStoreCore({ baseUrl: "http://127.0.0.1:9", token: "t", retry: false });
    expect(await core.load("short")).toBeNull();
    await expect(core.save("short", {}, hour())).rejects.toThrow(TypeError);
    expect(generateSessionId()).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});

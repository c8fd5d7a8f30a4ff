import { createVaultClient, isVaultError, type VaultClient } from "@sessionvault/client";
import { type RunningVault, startVault } from "@sessionvault/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  cookieWindow,
  generateSessionId,
  isSessionError,
  SessionEngine,
  SessionError,
  SessionErrorCode,
  SessionState,
  toSessionError,
} from "../../src/index.js";

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

describe("SessionEngine", () => {
  it("keeps the absoluteSeconds cap from the first write: later saves and touches never pass it", async () => {
    const core = new SessionEngine({ client });
    const id = generateSessionId();
    const capped = () => cookieWindow({ ttlSeconds: 3_600, absoluteSeconds: 120 }, Date.now());
    const state = new SessionState();
    await core.save(id, { n: 1 }, capped(), state);
    const first = await client.getSession(id);
    expect(first?.expires).toBeLessThanOrEqual((first?.created ?? 0) + 121_000);
    await core.save(id, { n: 2 }, capped(), state);
    await core.touch(id, cookieWindow({ ttlSeconds: 3_600 }, Date.now()), new SessionState());
    const later = await core.load(id);
    expect(later?.created).toBe(first?.created);
    expect(later?.expires).toBeLessThanOrEqual((first?.created ?? 0) + 121_000);
    expect(later?.data).toEqual({ n: 2 });
  });

  it("writes a new session whole, then patches only the keys a request changed", async () => {
    const core = new SessionEngine({ client });
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
    const core = new SessionEngine({ client });
    const id = generateSessionId();
    await core.save(id, { n: 1 }, hour(), new SessionState());
    const state = new SessionState();
    const found = await core.load(id, state);
    expect(await core.save(id, { ...found?.data }, hour(), state)).toBe("skipped");
    expect(await core.touch(id, hour(), state)).toBe("skipped");
  });

  it("extends an unchanged session with a touch, at most once per touchAfter", async () => {
    const core = new SessionEngine({ client, touchAfter: 60 });
    const id = generateSessionId();
    await core.save(id, { n: 1 }, cookieWindow({ maxAgeMs: 60_000, ttlSeconds: 1 }, Date.now()), new SessionState());
    expect(await core.touch(id, hour())).toBe("skipped"); // written just now
    const fresh = new SessionEngine({ client, touchAfter: 60 });
    expect(await fresh.touch(id, hour())).toBe("extended");
    expect(await fresh.touch(id, hour())).toBe("skipped");
    const expires = (await client.getSession(id))?.expires ?? 0;
    expect(expires).toBeGreaterThan(Date.now() + 3_000_000);
  });

  it("keeps a session destroyed meanwhile destroyed, and deletes on an expired cookie", async () => {
    const core = new SessionEngine({ client });
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
    const core = new SessionEngine({ client });
    const login = `ada-${generateSessionId().slice(0, 8)}`;
    const { token } = await client.createUser({ login });
    const id = generateSessionId();
    const state = new SessionState();
    core.linkUser(state, token);
    await core.save(id, { cart: ["book"] }, hour(), state);
    expect(core.userToken(state)).toBe(token);

    // Regenerate keeping data: the same state saved under a new id inherits the link.
    const renewed = generateSessionId();
    await core.destroy(id, state);
    await core.save(renewed, { cart: ["book"] }, hour(), state);
    const { rows } = await core.listSessions("login", login);
    expect(rows.map((row) => row.sessionuuid)).toEqual([renewed]);

    expect(await core.revokeSessions("login", login)).toEqual({ deleted: 1 });
    expect(await core.load(renewed)).toBeNull();
  });

  it("refuses personal data in strict mode with a pii_refused SessionError naming the path, not the value", async () => {
    const core = new SessionEngine({ client, strict: true }, { frameworkKeys: ["cookie"] });
    const id = generateSessionId();
    const error = await core
      .save(id, { profile: { email: "ada@example.com" } }, hour(), new SessionState())
      .catch((e: unknown) => e);
    expect(isSessionError(error, SessionErrorCode.PIIRefused)).toBe(true);
    expect((error as SessionError).paths).toEqual(["profile.email"]);
    expect((error as SessionError).message).not.toContain("ada@example.com");
    expect(await client.getSession(id)).toBeNull();
    // The framework's own keys are not session data; changed keys are checked on a patch.
    const state = new SessionState();
    await core.save(id, { a: 1, cookie: { note: "ada@example.com" } }, hour(), state);
    await expect(core.save(id, { a: 1, b: "+44 20 7946 0958" }, hour(), state)).rejects.toSatisfy((e: unknown) =>
      isSessionError(e, "pii_refused"),
    );
    expect((await client.getSession(id))?.data).toEqual({ a: 1, cookie: { note: "ada@example.com" } });
  });

  it("turns a vault refusal into a 500 vault_refused SessionError whose message names no id", async () => {
    const core = new SessionEngine({ baseUrl: vault.url, token: "wrong-token", retry: false });
    const id = generateSessionId();
    const error = await core.load(id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SessionError);
    const refusal = error as SessionError;
    expect(refusal.code).toBe(SessionErrorCode.VaultRefused);
    expect([refusal.status, refusal.statusCode, refusal.expose]).toEqual([500, 500, false]);
    expect(isVaultError(refusal.cause)).toBe(true);
    expect(isVaultError(refusal.cause) && refusal.cause.status).toBe(403);
    expect(refusal.message).not.toContain(id);
    expect(refusal.message).not.toContain("wrong-token");
  });

  it("turns an unreachable vault into a 503 vault_unavailable SessionError with the client's error as cause", async () => {
    const core = new SessionEngine({ baseUrl: "http://127.0.0.1:9", token: "t", retry: false });
    const error = await core.load(generateSessionId()).catch((e: unknown) => e);
    expect(isSessionError(error, SessionErrorCode.VaultUnavailable)).toBe(true);
    expect((error as SessionError).status).toBe(503);
    expect(isVaultError((error as SessionError).cause)).toBe(true);
    expect(toSessionError("plain")).toBeInstanceOf(Error);
    expect(isSessionError(toSessionError("plain"))).toBe(false);
  });

  it("treats an id that cannot be one as a miss without a vault call, and refuses to write it", async () => {
    const core = new SessionEngine({ baseUrl: "http://127.0.0.1:9", token: "t", retry: false });
    expect(await core.load("short")).toBeNull();
    await expect(core.save("short", {}, hour())).rejects.toSatisfy((e: unknown) =>
      isSessionError(e, SessionErrorCode.InvalidSessionId),
    );
    expect(generateSessionId()).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});

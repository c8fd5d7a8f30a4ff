import { randomBytes } from "node:crypto";
import { promisify } from "node:util";
import { createVaultClient, isVaultError, type VaultClient } from "@sessionvault/client";
import { toSlidingTime } from "@sessionvault/session";
import { freePort, startVault } from "@sessionvault/testkit";
import session from "express-session";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateSessionId, isSessionError, type SessionError, VaultStore } from "../src/index.js";
import { cookieSecondsLeft } from "../src/lifetime.js";

type Vault = Awaited<ReturnType<typeof startVault>>;
const newSid = () => randomBytes(32).toString("base64url");
const withCookie = (data: Record<string, unknown>, maxAge = 3_600_000) =>
  ({
    ...data,
    cookie: { originalMaxAge: maxAge, expires: new Date(Date.now() + maxAge).toISOString() },
  }) as unknown as session.SessionData;

let vault: Vault;
let client: VaultClient;

beforeAll(async () => {
  vault = await startVault();
  client = createVaultClient({ baseUrl: vault.url, token: vault.token });
});

afterAll(async () => {
  await vault?.destroy();
});

describe("options", () => {
  it("needs a client or a baseUrl and token", () => {
    expect(() => new VaultStore({} as never)).toThrow(TypeError);
    expect(() => new VaultStore({ baseUrl: "http://127.0.0.1:1" } as never)).toThrow(/baseUrl.*token/);
  });

  it("rejects a ttl or touchAfter that is not a sane number of seconds", () => {
    expect(() => new VaultStore({ client, ttl: 0 })).toThrow(/ttl/);
    expect(() => new VaultStore({ client, touchAfter: -1 })).toThrow(/touchAfter/);
  });

  it("uses the ttl function for a browser-session cookie", async () => {
    const store = new VaultStore({ client, ttl: (sess) => ((sess as { admin?: boolean }).admin ? 600 : 7_200) });
    const sid = newSid();
    await promisify(store.set.bind(store))(sid, { admin: true, cookie: { originalMaxAge: null } } as never);
    const record = await client.getSession(sid);
    expect(Math.abs((record?.expires ?? 0) - (Date.now() + 600_000))).toBeLessThan(5_000);
  });

  it("fails the save, not the process, when the ttl function returns nonsense", async () => {
    const store = new VaultStore({ client, ttl: () => Number.NaN });
    const sid = newSid();
    const error = await promisify(store.set.bind(store))(sid, { cookie: { originalMaxAge: null } } as never).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TypeError);
    expect(await client.getSession(sid)).toBeNull();
  });
});

describe("lifetime", () => {
  it("reads expires as a Date or an ISO string, and maxAge in milliseconds", () => {
    const now = Date.parse("2030-01-01T00:00:00Z");
    expect(cookieSecondsLeft({ expires: new Date(now + 90_500) }, now)).toBe(91);
    expect(cookieSecondsLeft({ expires: "2030-01-01T01:00:00.000Z" }, now)).toBe(3_600);
    expect(cookieSecondsLeft({ maxAge: 1_500 }, now)).toBe(2);
    expect(cookieSecondsLeft({ expires: null, originalMaxAge: null }, now)).toBeUndefined();
    expect(cookieSecondsLeft(undefined, now)).toBeUndefined();
    expect(cookieSecondsLeft({ expires: new Date(now - 1_000) }, now)).toBe(-1);
  });

  it("writes windows the vault accepts", () => {
    expect(toSlidingTime(200)).toBe("1s");
    expect(toSlidingTime(1_800_000)).toBe("1800s");
    expect(toSlidingTime(1e15)).toBe("999999999s");
  });
});

describe("callbacks", () => {
  it("calls every callback exactly once, with a VaultError, when the vault is unreachable", async () => {
    const port = await freePort();
    const store = new VaultStore({
      baseUrl: `http://127.0.0.1:${port}`,
      token: "unused",
      retry: false,
      timeoutMs: 2_000,
    });
    const calls: unknown[][] = [[], [], [], []];
    const sid = newSid();
    store.get(sid, (...args) => calls[0]!.push(args));
    store.set(sid, withCookie({ n: 1 }), (...args) => calls[1]!.push(args));
    store.touch(sid, withCookie({ n: 1 }), (...args) => calls[2]!.push(args));
    store.destroy(sid, (...args) => calls[3]!.push(args));
    await expect.poll(() => calls.every((c) => c.length > 0), { timeout: 10_000 }).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 100));
    for (const call of calls) {
      expect(call).toHaveLength(1);
      const [err] = call[0] as [unknown];
      expect(isSessionError(err, "vault_unavailable")).toBe(true);
      expect(isVaultError((err as SessionError).cause)).toBe(true);
      expect(String((err as Error).message)).not.toContain(sid);
    }
  });

  it("does not call a callback twice when the callback itself throws", async () => {
    const store = new VaultStore({ client });
    let calls = 0;
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown) => uncaught.push(error);
    process.prependListener("uncaughtException", onUncaught);
    try {
      store.get(newSid(), () => {
        calls++;
        throw new Error("thrown by the app");
      });
      await expect.poll(() => uncaught.length, { timeout: 5_000 }).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(calls).toBe(1);
    } finally {
      process.removeListener("uncaughtException", onUncaught);
    }
  });
});

describe("touch", () => {
  it("does nothing with disableTouch", async () => {
    const store = new VaultStore({ client, disableTouch: true });
    const sid = newSid();
    await promisify(store.set.bind(store))(sid, withCookie({ n: 1 }, 600_000));
    const before = await client.getSession(sid);
    await promisify(store.touch.bind(store))(sid, withCookie({ n: 1 }, 7_200_000));
    const after = await client.getSession(sid);
    expect(after?.version).toBe(before?.version);
    expect(Math.abs((after?.expires ?? 0) - (Date.now() + 600_000))).toBeLessThan(5_000);
  });
});

describe("strict mode", () => {
  it("refuses personal data, names the path, never the value, and writes nothing", async () => {
    const store = new VaultStore({ client, strict: true });
    const sid = newSid();
    const error = await promisify(store.set.bind(store))(
      sid,
      withCookie({ user: { email: "ada@example.com" }, ok: "fine" }),
    ).catch((e: unknown) => e);
    expect(isSessionError(error, "pii_refused")).toBe(true);
    expect((error as Error).message).toContain("user.email");
    expect((error as Error).message).toContain("tokenizeProfile");
    expect((error as Error).message).not.toContain("ada@example.com");
    expect(await client.getSession(sid)).toBeNull();
  });

  it("checks the changed keys of a loaded session and accepts tokens", async () => {
    const store = new VaultStore({ client, strict: true });
    const sid = newSid();
    const { token } = await client.createUser({ login: `strict-${newSid()}` });
    await promisify(store.set.bind(store))(sid, withCookie({ userToken: token }));
    const data = await promisify(store.get.bind(store))(sid);
    const loaded = store.createSession({ sessionID: sid } as never, data!) as unknown as Record<string, unknown>;
    loaded.phone = "+44 20 7946 0958";
    const error = await promisify(store.set.bind(store))(sid, loaded as never).catch((e: unknown) => e);
    expect(isSessionError(error, "pii_refused")).toBe(true);
    expect((await client.getSession(sid))?.data).not.toHaveProperty("phone");
  });
});

describe("records written elsewhere", () => {
  it("loads a session that has no express cookie", async () => {
    const store = new VaultStore({ client });
    const sid = newSid();
    await client.upsertSession(sid, { from: "koa" }, { slidingtime: "1h" });
    const data = await promisify(store.get.bind(store))(sid);
    const loaded = store.createSession({ sessionID: sid } as never, data!);
    expect((loaded as unknown as { from: string }).from).toBe("koa");
    expect(loaded.cookie).toBeInstanceOf(session.Cookie);
  });
});

describe("session ids", () => {
  it("are 256-bit base64url strings that never repeat", () => {
    const ids = new Set(Array.from({ length: 1_000 }, generateSessionId));
    expect(ids.size).toBe(1_000);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});

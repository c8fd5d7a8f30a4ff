// @fastify/session waits on every store callback: each must be called exactly once, with an
// Error (never a string, never undefined) when the call failed.
import { startVault } from "@sessionvault/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isSessionError, type SessionError, VaultStore } from "../src/index.js";
import { cookieJSON } from "./harness.js";

type Vault = Awaited<ReturnType<typeof startVault>>;
let vault: Vault;

beforeAll(async () => {
  vault = await startVault();
});

afterAll(async () => {
  await vault?.destroy();
});

/** Runs `call` and collects every invocation of its callback until things settle. */
async function invocations(call: (callback: (...args: unknown[]) => void) => void): Promise<unknown[][]> {
  const seen: unknown[][] = [];
  call((...args) => seen.push(args));
  // Long enough for a refused connection with one retry, and for any stray second call.
  await new Promise((resolve) => setTimeout(resolve, 400));
  return seen;
}

const session = (data: Record<string, unknown>) => ({ ...data, cookie: cookieJSON({ maxAgeMs: 60_000 }) });

describe("callbacks", () => {
  it("calls back once with no error on success", async () => {
    const store = new VaultStore({ baseUrl: vault.url, token: vault.token });
    const sid = "s".repeat(43);
    expect(await invocations((cb) => store.set(sid, session({ n: 1 }) as never, cb))).toEqual([[null, undefined]]);
    const loaded = await invocations((cb) => store.get(sid, cb));
    expect(loaded).toHaveLength(1);
    expect(loaded[0]?.[0]).toBeNull();
    expect(loaded[0]?.[1]).toMatchObject({ n: 1 });
    expect(await invocations((cb) => store.destroy(sid, cb))).toEqual([[null, undefined]]);
    expect(await invocations((cb) => store.get(sid, cb))).toEqual([[null, null]]);
  });

  it("calls back once with the client's VaultError when the vault cannot be reached", async () => {
    const store = new VaultStore({
      baseUrl: "http://127.0.0.1:9",
      token: "t",
      retry: { retries: 1, minDelayMs: 10, maxDelayMs: 10 },
    });
    const sid = "u".repeat(43);
    for (const call of [
      (cb: (...args: unknown[]) => void) => store.get(sid, cb),
      (cb: (...args: unknown[]) => void) => store.set(sid, session({ n: 1 }) as never, cb),
      (cb: (...args: unknown[]) => void) => store.destroy(sid, cb),
    ]) {
      const seen = await invocations(call);
      expect(seen).toHaveLength(1);
      const [error] = seen[0] ?? [];
      expect(isSessionError(error, "vault_unavailable")).toBe(true);
    }
  });

  it("calls back once with a 5xx vault_refused SessionError when the vault refuses the token", async () => {
    const store = new VaultStore({ baseUrl: vault.url, token: "wrong token" });
    const seen = await invocations((cb) => store.get("v".repeat(43), cb));
    expect(seen).toHaveLength(1);
    const error = (seen[0] ?? [])[0] as SessionError;
    expect(isSessionError(error, "vault_refused")).toBe(true);
    expect(error.statusCode).toBe(500);
    expect(error.message).not.toContain("v".repeat(43));
  });

  it("answers an id that cannot be a session id with a miss, without asking the vault", async () => {
    const store = new VaultStore({ baseUrl: "http://127.0.0.1:9", token: "t", retry: false });
    expect(await invocations((cb) => store.get("short", cb))).toEqual([[null, null]]);
    expect(await invocations((cb) => store.get("with space in it", cb))).toEqual([[null, null]]);
  });
});

import { createVaultClient } from "@sessionvault/client";
import { diffSnapshots, snapshotOf, toFinalTime, toSlidingTime } from "@sessionvault/client/store";
import { startVault } from "@sessionvault/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SessionStoreError, VaultStore } from "../src/index.js";

describe("windows", () => {
  it("turns milliseconds into whole vault seconds, never shorter than asked", () => {
    expect(toSlidingTime(86_400_000)).toBe("86400s");
    expect(toSlidingTime(1_500)).toBe("2s");
    expect(toSlidingTime(1)).toBe("1s");
    expect(toSlidingTime(10 ** 15)).toBe("999999999s");
    expect(toFinalTime(1_700_000_000_001)).toBe(1_700_000_001);
  });
});

describe("snapshots", () => {
  it("sees a change inside a nested value even though the live session shares it", () => {
    const live = { cart: ["book"], n: 1 };
    const before = snapshotOf(live);
    live.cart.push("pen");
    expect(diffSnapshots(before, snapshotOf(live))).toEqual({ set: { cart: ["book", "pen"] }, unset: [] });
  });

  it("reports removed keys and nothing at all for an unchanged session", () => {
    const before = snapshotOf({ a: 1, b: { c: 2 } });
    expect(diffSnapshots(before, snapshotOf({ a: 1, b: { c: 2 } }))).toBeNull();
    expect(diffSnapshots(before, snapshotOf({ b: { c: 2 } }))).toEqual({ set: {}, unset: ["a"] });
  });

  it("keeps a __proto__ key an ordinary key", () => {
    const data = JSON.parse('{"__proto__": {"polluted": true}}') as Record<string, unknown>;
    const patch = diffSnapshots(snapshotOf({}), snapshotOf(data));
    expect(Object.keys(patch?.set ?? {})).toEqual(["__proto__"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("errors", () => {
  type Vault = Awaited<ReturnType<typeof startVault>>;
  let vault: Vault;
  beforeAll(async () => {
    vault = await startVault();
  });
  afterAll(async () => {
    await vault?.destroy();
  });

  it("turns a refused call into a 500 SessionStoreError that keeps the VaultError as cause", async () => {
    const store = new VaultStore({ baseUrl: vault.url, token: "wrong token", retry: false });
    const sid = "k".repeat(43);
    const error = await store.get(sid, 60_000, { ctx: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SessionStoreError);
    expect((error as SessionStoreError).status).toBe(500);
    expect((error as SessionStoreError).expose).toBe(false);
    expect((error as SessionStoreError).cause.status).toBe(403);
    expect((error as Error).message).not.toContain(sid);
  });

  it("passes an unreachable vault on as the client's retryable VaultError", async () => {
    const client = createVaultClient({ baseUrl: "http://127.0.0.1:9", token: "t", retry: false });
    const store = new VaultStore({ client });
    const error = await store.set("k".repeat(43), { n: 1 }, 70_000, { ctx: {} }).catch((e: unknown) => e);
    expect((error as Error).name).toBe("VaultNetworkError");
    expect((error as { status: number }).status).toBe(0);
  });

  it("rejects options that cannot work", () => {
    expect(() => new VaultStore({ baseUrl: "", token: "" })).toThrow(TypeError);
    expect(() => new VaultStore({ baseUrl: vault.url, token: "t", ttl: 0 })).toThrow(/ttl/);
    expect(() => new VaultStore({ baseUrl: vault.url, token: "t", touchAfter: -1 })).toThrow(/touchAfter/);
  });
});

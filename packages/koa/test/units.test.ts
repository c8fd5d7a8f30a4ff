import { createVaultClient } from "@sessionvault/client";
import { startVault } from "@sessionvault/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SessionStoreError, VaultStore } from "../src/index.js";

// Windows and snapshots are the shared core's: packages/client/test/store/.
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

import { createVaultClient } from "@sessionvault/client";
import { type RunningVault, startVault } from "@sessionvault/testkit";
import { afterAll, beforeAll, expect, it } from "vitest";
import { vaultSecondaryStorage } from "../src/index.js";

let vault: RunningVault;
beforeAll(async () => {
  vault = await startVault();
});
afterAll(async () => {
  await vault?.destroy();
});

it("get returns what set stored, null for missing keys and after delete", async () => {
  const storage = vaultSecondaryStorage({ vault: createVaultClient({ baseUrl: vault.url, token: vault.token }) });
  expect(await storage.get("missing")).toBeNull();
  await storage.set("k", '{"a":1}');
  expect(await storage.get("k")).toBe('{"a":1}');
  await storage.set("k", "replaced");
  expect(await storage.get("k")).toBe("replaced");
  await storage.delete("k");
  expect(await storage.get("k")).toBeNull();
});

it("a value set with a ttl expires", async () => {
  const storage = vaultSecondaryStorage({ vault: createVaultClient({ baseUrl: vault.url, token: vault.token }) });
  await storage.set("short", "v", 1);
  expect(await storage.get("short")).toBe("v");
  await new Promise((resolve) => setTimeout(resolve, 2_100));
  expect(await storage.get("short")).toBeNull();
});

it("prefixes keep two apps apart", async () => {
  const client = createVaultClient({ baseUrl: vault.url, token: vault.token });
  const one = vaultSecondaryStorage({ vault: client, prefix: "one" });
  const two = vaultSecondaryStorage({ vault: client, prefix: "two" });
  await one.set("same", "1");
  expect(await two.get("same")).toBeNull();
});

it("getAndDelete: of two concurrent calls exactly one gets the value", async () => {
  const storage = vaultSecondaryStorage({ vault: createVaultClient({ baseUrl: vault.url, token: vault.token }) });
  for (let round = 0; round < 5; round++) {
    await storage.set(`once-${round}`, "secret");
    const results = await Promise.all([storage.getAndDelete(`once-${round}`), storage.getAndDelete(`once-${round}`)]);
    expect(results.filter((r) => r !== null)).toEqual(["secret"]);
    expect(await storage.get(`once-${round}`)).toBeNull();
  }
});

it("increment counts every concurrent call once", async () => {
  const storage = vaultSecondaryStorage({ vault: createVaultClient({ baseUrl: vault.url, token: vault.token }) });
  const results = await Promise.all(Array.from({ length: 6 }, () => storage.increment("counter", 60)));
  expect([...results].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
  expect(await storage.get("counter")).toBe("6");
});

import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createVault, type Vault } from "../../src/index.js";
import { startTestVault, type TestVault, TOKEN } from "../helpers.js";

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

async function post(url: string, operation: string, body: unknown) {
  const res = await fetch(`${url}/v2/${operation}`, {
    method: "POST",
    headers: { "x-bunker-token": TOKEN },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe("several instances over one store", () => {
  it("reads records sealed by an instance that started later, whose key it has never seen", async () => {
    const a: TestVault = await startTestVault();
    cleanup.push(() => a.close());
    await a.call("SessionUpsert", { sessionuuid: "from-a-00001", sessiondata: { by: "a" } });
    const b: Vault = await createVault({
      storage: { driver: "sqlite", path: join(a.dir, "vault.db") },
      accessTokens: [{ id: "tests", token: TOKEN }],
      masterKey: a.masterKey,
      clock: a.clock.now,
      sweepIntervalMs: 0,
      keyRefreshMs: 0,
    });
    cleanup.push(() => b.close());
    const bUrl = await b.listen(0);
    await post(bUrl, "SessionUpsert", { sessionuuid: "from-b-00001", sessiondata: { by: "b" } });
    expect(new Set([...a.vault.keys(), ...b.keys()].filter((k) => k.state === "active").map((k) => k.id)).size).toBe(2);
    expect((await a.call("SessionGet", { sessionuuid: "from-b-00001" })).body.sessiondata).toEqual({ by: "b" });
    expect((await post(bUrl, "SessionGet", { sessionuuid: "from-a-00001" })).body.sessiondata).toEqual({ by: "a" });
  });

  it("picks up a rotation made by another instance on its next key refresh", async () => {
    const a = await startTestVault({ keyRefreshMs: 20 });
    cleanup.push(() => a.close());
    await a.call("SessionUpsert", { sessionuuid: "before-rot-1", sessiondata: {} });
    const before = a.vault.keys().find((k) => k.state === "active")!.id;
    const admin = await createVault({
      storage: { driver: "sqlite", path: join(a.dir, "vault.db") },
      accessTokens: [{ id: "admin", token: TOKEN }],
      masterKey: a.masterKey,
      clock: a.clock.now,
      sweepIntervalMs: 0,
      keyRefreshMs: 0,
    });
    const rotated = await admin.rotateKey();
    await admin.close();
    await vi.waitFor(() => expect(a.vault.keys().find((k) => k.id === before)!.state).toBe("decrypt"), {
      timeout: 5_000,
      interval: 20,
    });
    await a.call("SessionUpsert", { sessionuuid: "after-rot-1", sessiondata: {} });
    const after = a.vault.keys().find((k) => k.state === "active" && k.id !== rotated)!.id;
    expect(after).not.toBe(before);
    const key = (await a.vault.driver.scan(null, 10)).records.map((r) =>
      Buffer.from(r.blob.subarray(2, 2 + r.blob[1]!)).toString(),
    );
    expect(key).toContain(after);
    expect((await a.call("SessionGet", { sessionuuid: "before-rot-1" })).status).toBe(200);
  });
});

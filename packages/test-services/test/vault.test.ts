import { afterAll, describe, expect, it } from "vitest";
import { type RunningVault, startVault } from "../src/index.js";

async function call(vault: RunningVault, operation: string, body: unknown) {
  const res = await fetch(`${vault.url}/v2/${operation}`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-bunker-token": vault.token },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe("startVault", () => {
  const started: RunningVault[] = [];
  afterAll(async () => {
    for (const vault of started) await vault.destroy();
  });

  it("runs `sessionvault dev` with the demo token and keeps data across restart on the same port", async () => {
    const vault = await startVault();
    started.push(vault);
    expect(vault.token).toBe("DEMO");
    expect(vault.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const put = await call(vault, "SessionUpsert", { sessionuuid: "testkit-session-1", sessiondata: { n: 1 } });
    expect(put.status).toBe(200);
    const before = vault.url;
    await vault.restart();
    expect(vault.url).toBe(before);
    const got = await call(vault, "SessionGet", { sessionuuid: "testkit-session-1" });
    expect(got.body.sessiondata).toEqual({ n: 1 });
  });

  it("runs `sessionvault start` with a generated token, and survives kill + restart", async () => {
    const vault = await startVault({ driver: "sqlite" });
    started.push(vault);
    expect(vault.token).not.toBe("DEMO");
    const denied = await call({ ...vault, url: vault.url, token: "wrong" } as RunningVault, "SessionGet", {
      sessionuuid: "testkit-session-2",
    });
    expect(denied.status).toBe(403);
    await call(vault, "SessionUpsert", { sessionuuid: "testkit-session-2", sessiondata: { ok: true } });
    vault.kill();
    await vault.restart();
    const got = await call(vault, "SessionGet", { sessionuuid: "testkit-session-2" });
    expect(got.body.sessiondata).toEqual({ ok: true });
    expect(await vault.stop()).toBe(0);
  });
});

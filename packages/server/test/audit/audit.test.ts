import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { createAuditRecorder } from "../../src/core/audit.js";
import type { AuditEvent, StorageDriver } from "../../src/storage/types.js";
import { startTestVault, type TestVault } from "../helpers.js";

const open: TestVault[] = [];
afterEach(async () => {
  while (open.length) await open.pop()!.close();
});
async function vault(...args: Parameters<typeof startTestVault>) {
  const t = await startTestVault(...args);
  open.push(t);
  return t;
}

describe("audit trail", () => {
  it("records who did what and when, with a salted hash of the target and no PII or secrets", async () => {
    const t = await vault();
    await t.call("SessionUpsert", { sessionuuid: "audit-sess-secret-id", sessiondata: { email: "pii@example.com" } });
    await t.call("UserCreate", { profile: { email: "pii@example.com", name: "Private Person" } });
    await t.call("TokenCreate", { tokentype: "creditcard", record: "4111111111111111" });
    await t.call("SessionGet", { sessionuuid: "audit-sess-secret-id" });
    await t.call("SessionDelete", { sessionuuid: "audit-sess-secret-id" });
    await t.call("SessionDelete", { sessionuuid: "audit-sess-secret-id" }, { token: "wrong-token" });
    const events = await t.vault.readAudit();
    expect(events.map((e) => [e.action, e.actor, e.outcome])).toEqual([
      ["SessionUpsert", "tests", "ok"],
      ["UserCreate", "tests", "ok"],
      ["TokenCreate", "tests", "ok"],
      ["SessionDelete", "tests", "ok"],
    ]);
    // A refused request is counted, not stored as an event of its own.
    const denied = await t.vault.readDenied();
    expect(denied.map((d) => [d.network, d.reason, d.count])).toEqual([["127.0.0.0/24", "invalid_token", 1]]);
    expect(events.every((e) => e.at === t.clock.now())).toBe(true);
    const upsert = events[0]!;
    const remove = events[3]!;
    expect(upsert.target).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(remove.target).toBe(upsert.target);
    const dump = JSON.stringify([events, denied]);
    for (const secret of [
      "audit-sess-secret-id",
      "pii@example.com",
      "Private Person",
      "4111111111111111",
      "test-token",
      "wrong-token",
    ]) {
      expect(dump).not.toContain(secret);
    }
  });

  it("has per-kind switches: reads and touches off by default, on when asked", async () => {
    const t = await vault({ audit: { reads: 1, touches: 1, writes: 0 } });
    await t.call("SessionUpsert", { sessionuuid: "audit-kinds-1", sessiondata: {} });
    await t.call("SessionGet", { sessionuuid: "audit-kinds-1" });
    await t.call("SessionTouch", { sessionuuid: "audit-kinds-1" });
    await t.call("SessionGet", { sessionuuid: "audit-kinds-missing" });
    const events = await t.vault.readAudit();
    expect(events.map((e) => [e.action, e.outcome])).toEqual([
      ["SessionGet", "ok"],
      ["SessionTouch", "ok"],
      ["SessionGet", "not_found"],
    ]);
  });

  it("keeps request_metadata in the event, only the allow-listed fields in their shapes", async () => {
    const t = await vault({ audit: { reads: 1 } });
    const request_metadata = {
      requestId: "req_7f3a9c",
      route: "/account/settings",
      client: { app: "shop-web", version: "4.2.1" },
      ip: "198.51.100.23",
      email: "meta-pii@example.com",
      note: "call +44 20 7946 0958",
      csrfToken: "meta-secret-value",
    };
    await t.call("SessionUpsert", { sessionuuid: "audit-meta-0001", sessiondata: {}, request_metadata });
    await t.call("SessionGet", { sessionuuid: "audit-meta-missing", request_metadata: { requestId: "req_2b7e" } });
    await t.call("SessionDelete", { sessionuuid: "audit-meta-0001" });
    const events = await t.vault.readAudit();
    expect(events.map((e) => [e.action, e.outcome, e.metadata])).toEqual([
      [
        "SessionUpsert",
        "ok",
        {
          requestId: "req_7f3a9c",
          route: "/account/settings",
          ip: "198.51.100.0/24",
          _redacted: 4,
        },
      ],
      ["SessionGet", "not_found", { requestId: "req_2b7e" }],
      ["SessionDelete", "ok", undefined],
    ]);
    expect(events[2]).not.toHaveProperty("metadata");
    const dump = JSON.stringify(events);
    for (const secret of ["198.51.100.23", "meta-pii@example.com", "7946", "meta-secret-value", "shop-web"]) {
      expect(dump).not.toContain(secret);
    }
  });

  it("samples a kind at the configured rate", async () => {
    const appended: AuditEvent[] = [];
    const driver = { appendAudit: async (e: AuditEvent) => void appended.push(e) } as unknown as StorageDriver;
    const draws = [0.05, 0.5, 0.09, 0.95, 0.1];
    const recorder = createAuditRecorder(
      driver,
      { reads: 0.1 },
      () => 1,
      pino({ level: "silent" }),
      () => draws.shift()!,
    );
    for (let i = 0; i < 5; i++) {
      recorder.record("read", () => ({ actor: "a", action: `read-${i}`, target: null, outcome: "ok", tenant: null }));
    }
    await recorder.flush();
    expect(appended.map((e) => e.action)).toEqual(["read-0", "read-2"]);
  });

  it("prunes events past retention on sweep", async () => {
    const t = await vault({ audit: { retentionMs: 60_000 } });
    await t.call("SessionUpsert", { sessionuuid: "audit-retain-1", sessiondata: {} });
    t.clock.advance(120_000);
    await t.call("SessionUpsert", { sessionuuid: "audit-retain-2", sessiondata: {} });
    await t.vault.readAudit();
    const swept = await t.vault.sweep();
    expect(swept.audit).toBe(1);
    expect((await t.vault.readAudit()).length).toBe(1);
  });
});

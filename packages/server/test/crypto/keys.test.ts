import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { Writable } from "node:stream";
import { pino } from "pino";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Keyring } from "../../src/crypto/keyring.js";
import { startTestVault, type TestVault } from "../helpers.js";

const open: TestVault[] = [];
afterEach(async () => {
  while (open.length) await open.pop()!.close();
  vi.restoreAllMocks();
});

async function vaultWith(...args: Parameters<typeof startTestVault>) {
  const t = await startTestVault(...args);
  open.push(t);
  return t;
}

function keyIdOf(blob: Uint8Array): string {
  return Buffer.from(blob.subarray(2, 2 + blob[1]!)).toString("utf8");
}

async function blobOf(t: TestVault, kind: "session" | "user" | "token", key: string) {
  const record = await t.vault.driver.get(kind, key, t.clock.now());
  if (!record) throw new Error("record missing");
  return record;
}

/** Session rows straight from the SQLite file, as an attacker with the file would see them. */
function rawRows(t: TestVault) {
  const db = new DatabaseSync(join(t.dir, "vault.db"));
  try {
    return db.prepare("SELECT kind, key, blob FROM records ORDER BY kind, key").all() as {
      kind: string;
      key: string;
      blob: Uint8Array;
    }[];
  } finally {
    db.close();
  }
}

describe("key rotation without downtime", () => {
  it("writes under k1, rotates, reads old, writes new under k2, re-encrypts, retires k1, still reads everything", async () => {
    const t = await vaultWith();
    await t.call("SessionUpsert", { sessionuuid: "rot-old-0001", sessiondata: { era: "k1" } });
    await t.call("UserCreate", { profile: { login: "rot-user", email: "rot@example.com" } });
    const k1 = t.vault.keys().find((k) => k.state === "active")!.id;
    expect(rawRows(t).every((row) => keyIdOf(row.blob) === k1)).toBe(true);
    const staleCopy = rawRows(t).find((row) => row.kind === "session")!;

    const k2 = await t.vault.rotateKey();
    expect(k2).not.toBe(k1);
    expect(t.vault.keys().find((k) => k.id === k1)!.state).toBe("decrypt");
    expect((await t.call("SessionGet", { sessionuuid: "rot-old-0001" })).body.sessiondata).toEqual({ era: "k1" });
    await t.call("SessionUpsert", { sessionuuid: "rot-new-0001", sessiondata: { era: "k2" } });
    const byKey = new Map(rawRows(t).map((row) => [row.key, keyIdOf(row.blob)]));
    expect([...byKey.values()].sort()).toEqual([k1, k1, k2].sort());

    const result = await t.vault.reencrypt();
    expect(result.reencrypted).toBe(2);
    expect(result.unreadable).toBe(0);
    expect(result.retired).toContain(k1);
    expect(rawRows(t).every((row) => keyIdOf(row.blob) === k2)).toBe(true);
    expect(t.vault.keys().find((k) => k.id === k1)!.state).toBe("retired");
    expect((await t.call("SessionGet", { sessionuuid: "rot-old-0001" })).body.sessiondata).toEqual({ era: "k1" });
    expect((await t.call("SessionGet", { sessionuuid: "rot-new-0001" })).body.sessiondata).toEqual({ era: "k2" });
    expect((await t.call("UserGet", { mode: "email", identity: "rot@example.com" })).status).toBe(200);
    // Re-encryption keeps versions, so a caller's expectversion is still valid.
    expect((await t.call("SessionGet", { sessionuuid: "rot-old-0001" })).body.version).toBe(1);

    // A ciphertext under the retired key no longer opens.
    const current = await blobOf(t, "session", staleCopy.key);
    await t.vault.driver.put({ ...current, blob: staleCopy.blob });
    expect(await t.call("SessionGet", { sessionuuid: "rot-old-0001" })).toEqual({
      status: 500,
      body: { status: "error", message: "record integrity check failed" },
    });
  });

  it("replaces a data key after maxEncryptionsPerKey seals (the AES-GCM random-nonce bound), persisting the new key", async () => {
    const t = await vaultWith({ maxEncryptionsPerKey: 3 });
    for (let i = 0; i < 7; i++) {
      await t.call("SessionUpsert", { sessionuuid: `nonce-limit-${i}`, sessiondata: { i } });
    }
    const counts = new Map<string, number>();
    for (const row of rawRows(t)) counts.set(keyIdOf(row.blob), (counts.get(keyIdOf(row.blob)) ?? 0) + 1);
    expect([...counts.values()].sort()).toEqual([1, 3, 3]);
    const stored = await t.vault.driver.loadKeys();
    for (const id of counts.keys()) expect(stored.some((k) => k.id === id)).toBe(true);
    expect(stored.filter((k) => !k.id.startsWith("idx-") && k.state === "active")).toHaveLength(1);
    for (let i = 0; i < 7; i++) {
      expect((await t.call("SessionGet", { sessionuuid: `nonce-limit-${i}` })).body.sessiondata).toEqual({ i });
    }
  });

  it("never reuses a nonce: 2000 seals of the same plaintext give 2000 distinct nonces and ciphertexts", async () => {
    const t = await vaultWith();
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      await t.call("SessionUpsert", { sessionuuid: "same-session-01", sessiondata: { same: true } });
      const blob = (await blobOf(t, "session", rawRows(t)[0]!.key)).blob;
      seen.add(Buffer.from(blob).toString("base64"));
      if (i % 500 === 0) expect(seen.size).toBe(i + 1);
    }
    expect(seen.size).toBe(2000);
  }, 60_000);

  it("rotates the master key: refuses an unknown one, reads with new+old, re-wraps, then runs on the new one alone", async () => {
    const t = await vaultWith();
    await t.call("SessionUpsert", { sessionuuid: "master-key-01", sessiondata: { a: 1 } });
    await t.vault.close();
    const { createVault } = await import("../../src/index.js");
    const storage = { driver: "sqlite" as const, path: join(t.dir, "vault.db") };
    const other = Buffer.alloc(32, 7).toString("base64");
    await expect(
      createVault({
        storage,
        accessTokens: [{ id: "x", token: "y".repeat(20) }],
        masterKey: other,
        clock: t.clock.now,
      }),
    ).rejects.toThrow(/master key/);
    const both = await createVault({
      storage,
      accessTokens: [{ id: "x", token: "y".repeat(20) }],
      masterKey: `${other},${t.masterKey}`,
      clock: t.clock.now,
      sweepIntervalMs: 0,
    });
    const url = await both.listen(0);
    const res = await fetch(`${url}/v2/SessionGet`, {
      method: "POST",
      headers: { "x-bunker-token": "y".repeat(20) },
      body: JSON.stringify({ sessionuuid: "master-key-01" }),
    });
    expect(await res.json()).toMatchObject({ status: "ok", sessiondata: { a: 1 } });
    // Re-wrapping under the new master key lets the old one go.
    expect((await both.reencrypt()).rewrapped).toBeGreaterThan(0);
    await both.close();
    const onlyNew = await createVault({
      storage,
      accessTokens: [{ id: "x", token: "y".repeat(20) }],
      masterKey: other,
      clock: t.clock.now,
      sweepIntervalMs: 0,
    });
    const url2 = await onlyNew.listen(0);
    const again = await fetch(`${url2}/v2/SessionGet`, {
      method: "POST",
      headers: { "x-bunker-token": "y".repeat(20) },
      body: JSON.stringify({ sessionuuid: "master-key-01" }),
    });
    expect(await again.json()).toMatchObject({ status: "ok", sessiondata: { a: 1 } });
    await onlyNew.close();
    open.pop();
    const { rmSync } = await import("node:fs");
    rmSync(t.dir, { recursive: true, force: true });
  });
});

describe("re-encryption with a damaged record", () => {
  it("skips and counts the damaged record and re-seals the rest", async () => {
    const t = await vaultWith();
    await t.call("SessionUpsert", { sessionuuid: "damaged-0001", sessiondata: { a: 1 } });
    await t.call("SessionUpsert", { sessionuuid: "healthy-0001", sessiondata: { b: 2 } });
    const rows = rawRows(t);
    const victim = await blobOf(t, "session", rows[0]!.key);
    const broken = Buffer.from(victim.blob);
    broken[broken.length - 1]! ^= 0xff;
    await t.vault.driver.put({ ...victim, blob: broken });
    await t.vault.rotateKey();
    const result = await t.vault.reencrypt();
    expect(result).toMatchObject({ reencrypted: 1, unreadable: 1 });
    const replies = [
      await t.call("SessionGet", { sessionuuid: "damaged-0001" }),
      await t.call("SessionGet", { sessionuuid: "healthy-0001" }),
    ];
    expect(replies.map((r) => r.status).sort()).toEqual([200, 500]);
  });
});

describe("integrity", () => {
  function capture() {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    return { logger: pino({ level: "debug" }, stream), text: () => lines.join("") };
  }

  it("reads a tampered or torn ciphertext as an integrity error, logged without data", async () => {
    const log = capture();
    const t = await vaultWith({ logger: log.logger });
    await t.call("SessionUpsert", { sessionuuid: "tamper-sess-1", sessiondata: { secret: "hunter2-data" } });
    const record = await blobOf(t, "session", rawRows(t)[0]!.key);
    const flipped = Buffer.from(record.blob);
    flipped[flipped.length - 20]! ^= 0x01;
    await t.vault.driver.put({ ...record, blob: flipped });
    const expected = { status: 500, body: { status: "error", message: "record integrity check failed" } };
    expect(await t.call("SessionGet", { sessionuuid: "tamper-sess-1" })).toEqual(expected);
    await t.vault.driver.put({ ...record, blob: Buffer.from(record.blob).subarray(0, 20) });
    expect(await t.call("SessionGet", { sessionuuid: "tamper-sess-1" })).toEqual(expected);
    // One byte rather than none: Node 22's node:sqlite binds an empty Uint8Array as NULL.
    await t.vault.driver.put({ ...record, blob: new Uint8Array(1) });
    expect(await t.call("SessionGet", { sessionuuid: "tamper-sess-1" })).toEqual(expected);
    expect(log.text()).toContain("record integrity check failed");
    expect(log.text()).not.toContain("hunter2-data");
    expect(log.text()).not.toContain("tamper-sess-1");
  });

  it("binds a ciphertext to its row: moving it to another session's row or tenant never yields that data", async () => {
    const t = await vaultWith();
    await t.call("SessionUpsert", { sessionuuid: "victim-sess-1", sessiondata: { owner: "victim" } });
    await t.call("SessionUpsert", { sessionuuid: "attacker-sess", sessiondata: { owner: "attacker" } });
    await t.call(
      "SessionUpsert",
      { sessionuuid: "victim-sess-1", sessiondata: { owner: "tenant-b" } },
      { tenant: "b" },
    );
    const rows = rawRows(t);
    const service = t.vault.driver;
    const victim = await blobOf(t, "session", rows.find((r) => r.key !== rows[0]!.key)!.key);
    for (const row of rows) {
      if (row.key === victim.key) continue;
      const target = await blobOf(t, "session", row.key);
      await service.put({ ...target, blob: victim.blob });
    }
    const attacker = await t.call("SessionGet", { sessionuuid: "attacker-sess" });
    const victimA = await t.call("SessionGet", { sessionuuid: "victim-sess-1" });
    const victimB = await t.call("SessionGet", { sessionuuid: "victim-sess-1" }, { tenant: "b" });
    const replies = [attacker, victimA, victimB];
    // Exactly one row still holds its own ciphertext; every moved copy fails closed.
    expect(replies.filter((r) => r.status === 200)).toHaveLength(1);
    for (const reply of replies.filter((r) => r.status !== 200)) {
      expect(reply).toEqual({ status: 500, body: { status: "error", message: "record integrity check failed" } });
    }
  });

  it("SessionListUserSessions decrypts only the rows it returns", async () => {
    const t = await vaultWith();
    const token = (await t.call("UserCreate", { profile: { login: "many" } })).body.token as string;
    for (let i = 0; i < 30; i++) {
      await t.call("SessionUpsert", { sessionuuid: `many-sess-${i}`, sessiondata: { i }, usertoken: token });
    }
    const spy = vi.spyOn(Keyring.prototype, "open");
    const page = await t.call("SessionListUserSessions", { mode: "token", identity: token, limit: 3 });
    expect((page.body.rows as unknown[]).length).toBe(3);
    expect(page.body.total).toBe(30);
    expect(spy).toHaveBeenCalledTimes(3);
  });
});

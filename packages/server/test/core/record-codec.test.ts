import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { RawJson, stringifyJson } from "../../src/core/raw-json.js";
import { decodeSession, decodeToken, decodeUser, encodeSession } from "../../src/core/record-codec.js";
import { VaultService } from "../../src/core/service.js";
import { Keyring, masterKeyId } from "../../src/crypto/keyring.js";
import { createSqliteDriver } from "../../src/storage/sqlite.js";
import type { RecordKind, StorageDriver } from "../../src/storage/types.js";

const ctx = { actor: "test", tenant: null };
let driver: StorageDriver | null = null;
afterEach(async () => {
  await driver?.close();
  driver = null;
});

async function setup() {
  driver = createSqliteDriver({ path: ":memory:" });
  await driver.init();
  const master = randomBytes(32);
  let now = 1_800_000_000_000;
  const keyring = new Keyring(driver, {
    masters: [{ id: masterKeyId(master), key: master }],
    now: () => now,
    maxEncryptionsPerKey: 1000,
  });
  await keyring.init();
  const service = new VaultService(driver, keyring, { now: () => now, touchGranularityMs: 1000 });
  const d = driver;
  /** Stores a plaintext exactly as an earlier vault sealed it. */
  const storeLegacy = async (kind: RecordKind, key: string, plaintext: string) => {
    const blob = await keyring.seal(kind, key, keyring.tenantTag(null), Buffer.from(plaintext));
    await d.put(
      { kind, key, blob, version: 1, expiresAt: null, lastUsed: now, owner: null },
      { expectVersion: 0, now },
    );
  };
  return { driver: d, service, storeLegacy, advance: (ms: number) => (now += ms), now: () => now };
}

describe("record codec", () => {
  it("reads a session sealed in the earlier one-object format with one-letter keys, and rewrites it", async () => {
    const { service, storeLegacy, now } = await setup();
    const id = "legacy-session-0001";
    const data = { user: "u-1", cart: [1, 2, 3], "line\nbreak": "a\nb" };
    const legacy = JSON.stringify({ i: id, d: data, c: now(), u: null, s: null, f: null, w: now() });
    await storeLegacy("session", service.sessions.key(ctx, id), legacy);

    const view = await service.sessions.get(ctx, id);
    expect(JSON.parse(view.sessiondata.text)).toEqual(data);
    expect(view.created).toBe(now());

    expect(await service.sessions.patch(ctx, { sessionuuid: id, set: { more: true } })).toEqual({ version: 2 });
    const patched = await service.sessions.get(ctx, id);
    expect(JSON.parse(patched.sessiondata.text)).toEqual({ ...data, more: true });
  });

  it("reads a session sealed in the split format with one-letter keys, window and link included", async () => {
    const { service, storeLegacy, now, advance } = await setup();
    const { token } = await service.users.create(ctx, { profile: { email: "old@example.com" } });
    const id = "legacy-session-0002";
    const meta = { i: id, c: now() - 5000, u: token, s: 3_600_000, f: null, w: now() - 1000 };
    await storeLegacy("session", service.sessions.key(ctx, id), `${JSON.stringify(meta)}\n{"n":1}`);
    // Past the touch granularity, so the read slides the stored one-hour window.
    advance(60_000);
    const view = await service.sessions.get(ctx, id);
    expect(JSON.parse(view.sessiondata.text)).toEqual({ n: 1 });
    expect(view).toMatchObject({ created: now() - 65_000, usertoken: token, written: now() - 61_000 });
    expect(view.expires).toBe(now() + 3_600_000);
  });

  it("reads a user profile sealed with one-letter keys", async () => {
    const { service, storeLegacy, now } = await setup();
    const token = "0b9a8f2e-5d4c-4b3a-9e1f-0a1b2c3d4e5f";
    const profile = { login: "legacy-login", name: "Old Record" };
    await storeLegacy(
      "user",
      service.users.key(ctx, token),
      JSON.stringify({ t: token, p: profile, c: now(), s: null, f: null }),
    );
    expect(await service.users.get(ctx, "token", token)).toEqual({ token, profile });
  });

  it("reads a token sealed with one-letter keys, by uuid", async () => {
    const { service, storeLegacy, now } = await setup();
    const uuid = "1c2d3e4f-5a6b-4c7d-8e9f-a0b1c2d3e4f5";
    const legacy = {
      u: uuid,
      b: "4111110000001111",
      y: "creditcard",
      r: "4111111111111111",
      q: false,
      c: now(),
      s: null,
      f: null,
    };
    await storeLegacy("token", service.tokens.key(ctx, uuid), JSON.stringify(legacy));
    expect(await service.tokens.get(ctx, uuid)).toEqual({ record: "4111111111111111", tokentype: "creditcard" });
  });

  it("writes named fields, never one-letter keys", () => {
    const text = encodeSession({
      id: "named-0001",
      data: { a: 1 },
      created: 1,
      user: null,
      sliding: 60_000,
      final: null,
      written: 2,
    }).toString("utf8");
    const meta = JSON.parse(text.slice(0, text.indexOf("\n")));
    expect(Object.keys(meta).sort()).toEqual(["created", "final", "id", "sliding", "user", "written"]);
    expect(decodeSession(text)?.id).toBe("named-0001");
  });

  it("refuses plaintexts that are not a payload of their kind", () => {
    expect(decodeSession("not json")).toBeNull();
    expect(decodeSession('{"i":1,"c":1}\n{}')).toBeNull();
    expect(decodeUser('{"token":"t","profile":[],"created":1}')).toBeNull();
    expect(decodeToken('{"uuid":"u","base":"b","type":"t","record":"r","unique":"yes","created":1}')).toBeNull();
  });

  it("splices the stored data text into a reply unchanged, newlines in values included", async () => {
    const { service } = await setup();
    const data = { note: "first line\nsecond line", nested: { deep: [{ "\n": "\n" }] } };
    await service.sessions.upsert(ctx, { sessionuuid: "splice-0001", sessiondata: data });
    const view = await service.sessions.get(ctx, "splice-0001");
    expect(view.sessiondata.text).toBe(JSON.stringify(data));
    const reply = stringifyJson({ status: "ok", sessiondata: view.sessiondata, rows: [{ d: view.sessiondata }] });
    expect(JSON.parse(reply!)).toEqual({ status: "ok", sessiondata: data, rows: [{ d: data }] });
    // Anything serialising the view the ordinary way still sees an object.
    expect(JSON.parse(JSON.stringify({ data: new RawJson(view.sessiondata.text) }))).toEqual({ data });
  });
});

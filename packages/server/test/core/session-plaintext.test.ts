import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { RawJson, stringifyJson } from "../../src/core/raw-json.js";
import { VaultService } from "../../src/core/service.js";
import { Keyring, masterKeyId } from "../../src/crypto/keyring.js";
import { createSqliteDriver } from "../../src/storage/sqlite.js";
import type { StorageDriver } from "../../src/storage/types.js";

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
  return { driver, keyring, service, advance: (ms: number) => (now += ms), now: () => now };
}

describe("session plaintext", () => {
  it("reads a session sealed in the earlier one-object format, and rewrites it in the split one", async () => {
    const { driver, keyring, service, now } = await setup();
    const id = "legacy-session-0001";
    const key = service.sessionKey(ctx, id);
    const data = { user: "u-1", cart: [1, 2, 3], "line\nbreak": "a\nb" };
    const legacy = JSON.stringify({ i: id, d: data, c: now(), u: null, s: null, f: null, w: now() });
    const blob = await keyring.seal("session", key, keyring.tenantTag(null), Buffer.from(legacy));
    await driver.put(
      { kind: "session", key, blob, version: 1, expiresAt: null, lastUsed: now(), owner: null },
      { expectVersion: 0, now: now() },
    );

    const view = await service.sessionGet(ctx, id);
    expect(JSON.parse(view.sessiondata.text)).toEqual(data);
    expect(view.created).toBe(now());

    expect(await service.sessionPatch(ctx, { sessionuuid: id, set: { more: true } })).toEqual({ version: 2 });
    const patched = await service.sessionGet(ctx, id);
    expect(JSON.parse(patched.sessiondata.text)).toEqual({ ...data, more: true });
  });

  it("splices the stored data text into a reply unchanged, newlines in values included", async () => {
    const { service } = await setup();
    const data = { note: "first line\nsecond line", nested: { deep: [{ "\n": "\n" }] } };
    await service.sessionUpsert(ctx, { sessionuuid: "splice-0001", sessiondata: data });
    const view = await service.sessionGet(ctx, "splice-0001");
    expect(view.sessiondata.text).toBe(JSON.stringify(data));
    const reply = stringifyJson({ status: "ok", sessiondata: view.sessiondata, rows: [{ d: view.sessiondata }] });
    expect(JSON.parse(reply!)).toEqual({ status: "ok", sessiondata: data, rows: [{ d: data }] });
    // Anything serialising the view the ordinary way still sees an object.
    expect(JSON.parse(JSON.stringify({ data: new RawJson(view.sessiondata.text) }))).toEqual({ data });
  });
});

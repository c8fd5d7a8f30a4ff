import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sessionId } from "../storage/vault-http.js";
import { DRIVERS, driverServices } from "./drivers.js";

const services = driverServices();
beforeAll(() => services.start(), 120_000);
afterAll(() => services.stop(), 60_000);

describe.each(DRIVERS)("windows on %s", (driver) => {
  it("a window beyond the documented maximum is a 400 naming the field", async () => {
    const group = services.group(driver);
    try {
      const { call } = await group.instance();
      for (const too of ["1000000d", "10000000h", "100000000m", "1000000000s", "999999999d"]) {
        const upsert = await call("SessionUpsert", { sessionuuid: sessionId(), sessiondata: {}, slidingtime: too });
        expect(upsert.status).toBe(400);
        expect(upsert.body.message).toMatch(/^slidingtime: /);
        const user = await call("UserCreate", { profile: { login: `w-${too}` }, finaltime: too });
        expect(user.status).toBe(400);
        expect(user.body.message).toMatch(/^finaltime: /);
        const token = await call("TokenCreate", { tokentype: "string", record: "value-123", slidingtime: too });
        expect(token.status).toBe(400);
      }
    } finally {
      await group.close();
    }
  });

  it("the largest windows the contract accepts keep a record readable, listable, re-encryptable and erasable", async () => {
    const group = services.group(driver);
    try {
      const { call, vault } = await group.instance();
      const big = { slidingtime: "999999d", finaltime: "999999d" };
      const user = await call("UserCreate", { profile: { email: `big-${driver}@example.com` }, ...big });
      expect(user.status).toBe(200);
      const usertoken = user.body.token as string;
      const id = sessionId();
      expect((await call("SessionUpsert", { sessionuuid: id, sessiondata: { n: 1 }, usertoken, ...big })).status).toBe(
        200,
      );
      const read = await call("SessionGet", { sessionuuid: id });
      expect(read.status).toBe(200);
      expect(Number.isSafeInteger(read.body.expires)).toBe(true);
      expect((await call("SessionTouch", { sessionuuid: id, slidingtime: "999999d" })).status).toBe(200);
      expect((await call("SessionPatch", { sessionuuid: id, set: { m: 2 } })).status).toBe(200);
      const token = await call("TokenCreate", { tokentype: "string", record: "value-1234567", ...big });
      expect(token.status).toBe(200);
      expect((await call("TokenGet", { token: token.body.tokenuuid })).status).toBe(200);
      const listed = await call("SessionListUserSessions", { mode: "token", identity: usertoken });
      expect(listed.body.total).toBe(1);
      await vault.rotateKey();
      expect((await vault.reencrypt()).unreadable).toBe(0);
      expect((await call("UserDelete", { mode: "token", identity: usertoken })).status).toBe(200);
      expect((await call("SessionGet", { sessionuuid: id })).status).toBe(404);
    } finally {
      await group.close();
    }
  });

  it("a stored row with an out-of-range expiry and a corrupt blob never blocks a listing, a re-encryption or an erasure", async () => {
    const group = services.group(driver);
    try {
      const { call, vault } = await group.instance();
      const usertoken = (await call("UserCreate", { profile: { login: `corrupt-${driver}` } })).body.token as string;
      const good = sessionId("good");
      const bad = sessionId("bad");
      await call("SessionUpsert", { sessionuuid: good, sessiondata: { ok: true }, usertoken });
      await call("SessionUpsert", { sessionuuid: bad, sessiondata: { ok: false }, usertoken });
      // Damage one of them in storage, as an earlier unbounded vault (or a bad disk) could.
      const page = await vault.driver.scan(null, 100);
      const sessions = page.records.filter((r) => r.kind === "session");
      expect(sessions).toHaveLength(2);
      const victim = sessions[0]!;
      const blob = Buffer.from(victim.blob);
      blob[blob.length - 1]! ^= 0xff;
      await vault.driver.put({ ...victim, blob, expiresAt: Date.now() + 999_999_999 * 86_400_000 });

      const listed = await call("SessionListUserSessions", { mode: "token", identity: usertoken });
      expect(listed.status).toBe(200);
      expect(listed.body.total).toBe(2);
      expect((listed.body.rows as unknown[]).length).toBe(1);
      await vault.rotateKey();
      const result = await vault.reencrypt();
      expect(result.unreadable).toBe(1);
      expect((await call("UserDelete", { mode: "token", identity: usertoken })).status).toBe(200);
      expect((await call("SessionGet", { sessionuuid: good })).status).toBe(404);
      expect((await vault.driver.scan(null, 100)).records.filter((r) => r.kind === "session")).toHaveLength(0);
      await expect(vault.sweep()).resolves.toMatchObject({ records: expect.any(Number) });
    } finally {
      await group.close();
    }
  });
});

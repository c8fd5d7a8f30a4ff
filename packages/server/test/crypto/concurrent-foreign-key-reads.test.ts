import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { driverServices } from "../hardening/drivers.js";

const services = driverServices();
beforeAll(() => services.start(["postgres", "redis"]), 120_000);
afterAll(() => services.stop(), 60_000);

// Found by the fault soak (test/soak): an instance meets another instance's fresh data key
// in many reads at once. The first read looked the key up in storage; the others, inside
// the lookup's once-per-second limit, did not wait for it and answered 500 "record
// integrity check failed" for records that were intact.
describe.each(["postgres", "redis"] as const)("reads under another instance's new key on %s", (driver) => {
  it("concurrent reads of records sealed under a data key this instance has never seen all succeed", async () => {
    const group = services.group(driver);
    try {
      const a = await group.instance();
      const b = await group.instance();
      // a creates its data key on its first seal, after b has started: b has never seen it.
      const tokens: string[] = [];
      for (let i = 0; i < 20; i++) {
        const created = await a.call("UserCreate", { profile: { login: `foreign-${driver}-${i}` } });
        expect(created.status).toBe(200);
        tokens.push(created.body.token as string);
      }
      const replies = await Promise.all(tokens.map((token) => b.call("UserGet", { mode: "token", identity: token })));
      expect(replies.map((r) => r.status)).toEqual(tokens.map(() => 200));
      expect(replies.map((r) => (r.body.profile as { login: string }).login)).toEqual(
        tokens.map((_, i) => `foreign-${driver}-${i}`),
      );
    } finally {
      await group.close();
    }
  });
});

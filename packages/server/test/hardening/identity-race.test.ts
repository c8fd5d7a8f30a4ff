import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DRIVERS, driverServices } from "./drivers.js";

const services = driverServices();
beforeAll(() => services.start(), 120_000);
afterAll(() => services.stop(), 60_000);

const RACERS = 40;

describe.each(DRIVERS)("identity races on %s", (driver) => {
  // SQLite is one file for one process; PostgreSQL and Redis are shared by two instances.
  const instances = driver === "sqlite" ? 1 : 2;

  it(`concurrent UserCreate with the same email, login, phone or custom: exactly one wins across ${instances} instance(s), the others get 409`, async () => {
    const group = services.group(driver);
    try {
      const vaults: Awaited<ReturnType<typeof group.instance>>[] = [];
      for (let i = 0; i < instances; i++) vaults.push(await group.instance());
      for (const mode of ["email", "login", "phone", "custom"] as const) {
        const value = mode === "phone" ? "+15550100200" : `${mode}-race-${driver}@example.com`;
        const replies = await Promise.all(
          Array.from({ length: RACERS }, (_, i) =>
            vaults[i % instances]!.call("UserCreate", { profile: { [mode]: value, n: i } }),
          ),
        );
        const statuses = replies.map((r) => r.status);
        const winners = replies.filter((r) => r.status === 200);
        console.log(`${driver} ${mode}: ${winners.length} user(s) created by ${RACERS} racers`);
        expect(winners).toHaveLength(1);
        expect(statuses.filter((s) => s === 409)).toHaveLength(RACERS - 1);
        for (const r of replies.filter((r) => r.status === 409)) {
          expect(r.body.message).toBe(`profile.${mode}: another user already has this ${mode}`);
        }
        for (const v of vaults) {
          const found = await v.call("UserGet", { mode, identity: value });
          expect(found.body.token).toBe(winners[0]!.body.token);
        }
      }
    } finally {
      await group.close();
    }
  });

  it(`concurrent unique TokenCreate of one value hands out one token across ${instances} instance(s)`, async () => {
    const group = services.group(driver);
    try {
      const vaults: Awaited<ReturnType<typeof group.instance>>[] = [];
      for (let i = 0; i < instances; i++) vaults.push(await group.instance());
      const replies = await Promise.all(
        Array.from({ length: RACERS }, (_, i) =>
          vaults[i % instances]!.call("TokenCreate", {
            tokentype: "string",
            record: "unique-race-value-42",
            unique: true,
          }),
        ),
      );
      expect(replies.map((r) => r.status)).toEqual(replies.map(() => 200));
      expect(new Set(replies.map((r) => r.body.tokenuuid)).size).toBe(1);
    } finally {
      await group.close();
    }
  });
});

import { freePort, type ServiceHandle, startRedis } from "@sessionvault/test-services";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRedisDriver } from "../../src/storage/redis.js";
import { describeDriverConformance } from "./conformance.js";

let server: ServiceHandle;
beforeAll(async () => {
  server = await startRedis();
}, 60_000);
afterAll(() => server?.stop(), 30_000);

// Each case gets its own key prefix, so cases never see each other's keys.
describeDriverConformance("redis", async (scope) => createRedisDriver({ url: server.url, keyPrefix: `${scope}:` }));

describe("redis driver", () => {
  it("ping fails when the server is unreachable, so readiness reports it", async () => {
    const port = await freePort();
    const d = createRedisDriver({ url: `redis://127.0.0.1:${port}` });
    try {
      await expect(d.ping()).rejects.toThrow();
    } finally {
      await d.close();
    }
  });

  it("a record Redis already expired natively is gone from reads and listings at once", async () => {
    const d = createRedisDriver({ url: server.url, keyPrefix: "native:" });
    await d.init();
    try {
      const owner = "owner-native";
      const wall = Date.now();
      const base = { kind: "session" as const, blob: new Uint8Array([1, 2, 3]), version: 1, owner };
      await d.put({ ...base, key: "live", expiresAt: wall + 600_000, lastUsed: wall });
      // PEXPIREAT in the past: Redis drops the key on the spot.
      await d.put({ ...base, key: "gone", expiresAt: wall - 1, lastUsed: wall + 1 }, { now: wall - 10 });
      // A vault whose clock lags behind Redis's still must not see it.
      const lagging = wall - 100;
      expect(await d.get("session", "gone", lagging)).toBeNull();
      const listed = await d.listByOwner("session", owner, lagging, 0, 10);
      expect(listed.records.map((r) => r.key)).toEqual(["live"]);
      expect(listed.total).toBe(1);
      expect(await d.touch("session", "gone", wall + 600_000, wall, lagging)).toBe(false);
    } finally {
      await d.close();
    }
  });
});

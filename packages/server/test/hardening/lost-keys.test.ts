import { startLocalRedis } from "@sessionvault/test-services";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createVault } from "../../src/index.js";
import { createStorage } from "../../src/storage/index.js";
import { sessionId } from "../storage/vault-http.js";
import { DRIVERS, driverServices, TOKEN } from "./drivers.js";

const services = driverServices();
beforeAll(() => services.start(), 120_000);
afterAll(() => services.stop(), 60_000);

describe.each(DRIVERS)("a lost index key on %s", (driver) => {
  it("is detected at start, never silently replaced by a new one that orphans every record", async () => {
    const group = services.group(driver);
    const { call } = await group.instance();
    expect((await call("SessionUpsert", { sessionuuid: sessionId(), sessiondata: { n: 1 } })).status).toBe(200);
    await group.close();
    const raw = await createStorage(group.storage);
    await raw.init();
    await raw.indexDelete("sv:index-key");
    await raw.close();
    await expect(group.instance()).rejects.toThrow(/index key is missing/);
  });
});

describe("Redis that can evict", () => {
  let redis: Awaited<ReturnType<typeof startLocalRedis>>;
  beforeAll(async () => {
    redis = await startLocalRedis();
    const { Redis } = await import("ioredis");
    const admin = new Redis(redis.url);
    await admin.config("SET", "maxmemory-policy", "allkeys-lru");
    await admin.quit();
  }, 60_000);
  afterAll(() => redis?.stop());

  const config = (allowEviction?: boolean) => ({
    storage: {
      driver: "redis" as const,
      url: redis.url,
      keyPrefix: "evict:",
      ...(allowEviction ? { allowEviction } : {}),
    },
    accessTokens: [{ id: "tests", token: TOKEN }],
    masterKey: Buffer.alloc(32, 7).toString("base64"),
    sweepIntervalMs: 0,
    keyRefreshMs: 0,
  });

  it("is refused at start with a maxmemory-policy other than noeviction", async () => {
    await expect(createVault(config())).rejects.toThrow(/maxmemory-policy is allkeys-lru/);
  });

  it("starts with the documented allowEviction opt-out", async () => {
    const vault = await createVault(config(true));
    await vault.close();
  });
});

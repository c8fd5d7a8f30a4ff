import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, type ServiceHandle, startPostgres } from "../../../testkit/src/services.js";
import { createPostgresStorage } from "../../src/storage/postgres.js";
import { describeDriverConformance } from "./conformance.js";

let server: ServiceHandle;
beforeAll(async () => {
  server = await startPostgres();
}, 120_000);
afterAll(() => server?.stop(), 60_000);

// Each case gets its own tables, so cases never see each other's rows.
describeDriverConformance("postgres", async (scope) =>
  createPostgresStorage({ url: server.url, tablePrefix: `${scope}_`, maxConnections: 4 }),
);

describe("postgres driver", () => {
  it("migrates concurrently from several instances without error", async () => {
    const drivers = Array.from({ length: 4 }, () =>
      createPostgresStorage({ url: server.url, tablePrefix: "migrate_race_", maxConnections: 2 }),
    );
    try {
      await Promise.all(drivers.map((d) => d.init()));
      await expect(drivers[0]!.ping()).resolves.toBeUndefined();
    } finally {
      await Promise.all(drivers.map((d) => d.close()));
    }
  });

  it("ping fails fast when the server is unreachable, so readiness reports it", async () => {
    const port = await freePort();
    const d = createPostgresStorage({ url: `postgres://postgres@127.0.0.1:${port}/none`, connectTimeoutMs: 2000 });
    try {
      await expect(d.ping()).rejects.toThrow();
    } finally {
      await d.close();
    }
  });

  it("rejects a table prefix that is not a plain identifier", () => {
    expect(() => createPostgresStorage({ url: server.url, tablePrefix: "x; DROP TABLE y; --" })).toThrow(TypeError);
  });
});

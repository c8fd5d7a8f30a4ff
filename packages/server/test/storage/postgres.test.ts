import { freePort, type ServiceHandle, startPostgres } from "@sessionvault/test-services";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPostgresDriver } from "../../src/storage/postgres.js";
import { describeDriverConformance } from "./conformance.js";

let server: ServiceHandle;
beforeAll(async () => {
  server = await startPostgres();
}, 120_000);
afterAll(() => server?.stop(), 60_000);

// Each case gets its own tables, so cases never see each other's rows.
describeDriverConformance("postgres", async (scope) =>
  createPostgresDriver({ url: server.url, tablePrefix: `${scope}_`, maxConnections: 4 }),
);

describe("postgres driver", () => {
  it("migrates concurrently from several instances without error", async () => {
    const drivers = Array.from({ length: 4 }, () =>
      createPostgresDriver({ url: server.url, tablePrefix: "migrate_race_", maxConnections: 2 }),
    );
    try {
      await Promise.all(drivers.map((d) => d.init()));
      await expect(drivers[0]!.ping()).resolves.toBeUndefined();
    } finally {
      await Promise.all(drivers.map((d) => d.close()));
    }
  });

  it("migrates a schema-1 database to schema 2 in place: audit metadata and index cleanup, rows kept", async () => {
    const prefix = "schema_one_";
    const first = createPostgresDriver({ url: server.url, tablePrefix: prefix, maxConnections: 2 });
    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    try {
      await first.init();
      // Turn the fresh tables back into what a schema-1 vault left behind.
      await admin.query(`ALTER TABLE ${prefix}audit DROP COLUMN metadata`);
      await admin.query(`DROP INDEX ${prefix}index_key_idx`);
      await admin.query(`UPDATE ${prefix}meta SET value = '1' WHERE name = 'schema_version'`);
      await admin.query(
        `INSERT INTO ${prefix}audit (at, actor, action, target, outcome, tenant) VALUES (1, 'app', 'SessionGet', NULL, 'ok', NULL)`,
      );
      await first.close();

      const upgraded = createPostgresDriver({ url: server.url, tablePrefix: prefix, maxConnections: 2 });
      try {
        await upgraded.init();
        await upgraded.appendAudit({
          at: 2,
          actor: "app",
          action: "SessionUpsert",
          target: null,
          outcome: "ok",
          tenant: null,
          metadata: { route: "/cart" },
        });
        expect(await upgraded.readAudit(0, 10)).toEqual([
          { at: 1, actor: "app", action: "SessionGet", target: null, outcome: "ok", tenant: null },
          {
            at: 2,
            actor: "app",
            action: "SessionUpsert",
            target: null,
            outcome: "ok",
            tenant: null,
            metadata: { route: "/cart" },
          },
        ]);
        const version = await admin.query(`SELECT value FROM ${prefix}meta WHERE name = 'schema_version'`);
        expect(version.rows[0]).toEqual({ value: "2" });
        const index = await admin.query("SELECT 1 FROM pg_indexes WHERE indexname = $1", [`${prefix}index_key_idx`]);
        expect(index.rowCount).toBe(1);
      } finally {
        await upgraded.close();
      }
    } finally {
      await admin.end();
    }
  });

  it("ping fails fast when the server is unreachable, so readiness reports it", async () => {
    const port = await freePort();
    const d = createPostgresDriver({ url: `postgres://postgres@127.0.0.1:${port}/none`, connectTimeoutMs: 2000 });
    try {
      await expect(d.ping()).rejects.toThrow();
    } finally {
      await d.close();
    }
  });

  it("rejects a table prefix that is not a plain identifier", () => {
    expect(() => createPostgresDriver({ url: server.url, tablePrefix: "x; DROP TABLE y; --" })).toThrow(TypeError);
  });
});

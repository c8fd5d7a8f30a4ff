import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterAll, describe, expect, it } from "vitest";
import { createSqliteDriver } from "../../src/storage/sqlite.js";
import { describeDriverConformance } from "./conformance.js";

const dir = mkdtempSync(join(tmpdir(), "sv-sqlite-conformance-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeDriverConformance("sqlite", async (scope) => createSqliteDriver({ path: join(dir, `${scope}.db`) }));

describe("sqlite driver", () => {
  it("upgrades a file written before audit metadata and index cleanup, keeping its rows", async () => {
    const path = join(dir, "schema-1.db");
    const old = new DatabaseSync(path);
    old.exec(`
      CREATE TABLE audit (id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, actor TEXT NOT NULL,
        action TEXT NOT NULL, target TEXT, outcome TEXT NOT NULL, tenant TEXT);
      INSERT INTO audit (at, actor, action, target, outcome, tenant) VALUES (1, 'app', 'SessionGet', NULL, 'ok', NULL);
      CREATE TABLE indexes (name TEXT PRIMARY KEY, key TEXT NOT NULL, expires_at INTEGER);
      INSERT INTO indexes (name, key, expires_at) VALUES ('login:old', 'user-key-old', NULL);
    `);
    old.close();
    const driver = createSqliteDriver({ path });
    try {
      await driver.init();
      await driver.appendAudit({
        at: 2,
        actor: "app",
        action: "SessionUpsert",
        target: null,
        outcome: "ok",
        tenant: null,
        metadata: { route: "/cart" },
      });
      expect(await driver.readAudit(0, 10)).toEqual([
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
      // The cleanup trigger is in place for a user record written after the upgrade.
      await driver.put({
        kind: "user",
        key: "user-key-old",
        blob: new Uint8Array([1]),
        version: 1,
        expiresAt: 10,
        lastUsed: 1,
        owner: null,
      });
      expect(await driver.sweep(100, 10)).toBe(1);
      expect(await driver.indexGet("login:old", 0)).toBeNull();
    } finally {
      await driver.close();
    }
  });
});

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createSqliteDriver } from "../../src/storage/sqlite.js";
import type { StoredRecord } from "../../src/storage/types.js";

const dir = mkdtempSync(join(tmpdir(), "sv-group-commit-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const record = (key: string, version: number, byte: number): StoredRecord => ({
  kind: "session",
  key,
  blob: new Uint8Array([byte]),
  version,
  expiresAt: null,
  lastUsed: 1,
  owner: null,
});

describe("sqlite group commit on the writer thread", () => {
  it("lets exactly one of many concurrent inserts win when they share a batch", async () => {
    const driver = createSqliteDriver({ path: join(dir, "race.db") });
    await driver.init();
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => driver.put(record("contended", 1, i), { expectVersion: 0 })),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = results.indexOf(true);
    expect(Array.from((await driver.get("session", "contended", 0))!.blob)).toEqual([winner]);
    // Compare-and-set chains inside one batch: each sees the write before it.
    const chain = await Promise.all(
      [2, 3, 4].map((v) => driver.put(record("contended", v, v), { expectVersion: v - 1 })),
    );
    expect(chain).toEqual([true, true, true]);
    expect((await driver.get("session", "contended", 0))!.version).toBe(4);
    await driver.close();
  });

  it("commits every write that was queued before close, and they survive reopening", async () => {
    const path = join(dir, "drain.db");
    const driver = createSqliteDriver({ path });
    await driver.init();
    const writes = Array.from({ length: 200 }, (_, i) => driver.put(record(`k${i}`, 1, i % 256)));
    await driver.close();
    expect(await Promise.all(writes)).toEqual(Array(200).fill(true));
    const reopened = createSqliteDriver({ path });
    await reopened.init();
    const page = await reopened.scan(null, 500);
    expect(page.records).toHaveLength(200);
    await reopened.close();
  });

  it("reports a failed statement to its own caller only, and commits the rest of the batch", async () => {
    const driver = createSqliteDriver({ path: join(dir, "errors.db") });
    await driver.init();
    const bad = { ...record("bad", 1, 1), kind: null as unknown as "session" };
    const [ok1, failed, ok2] = await Promise.allSettled([
      driver.put(record("good-1", 1, 1)),
      driver.put(bad),
      driver.put(record("good-2", 1, 2)),
    ]);
    expect(ok1).toEqual({ status: "fulfilled", value: true });
    expect(failed!.status).toBe("rejected");
    expect(ok2).toEqual({ status: "fulfilled", value: true });
    expect(await driver.get("session", "good-2", 0)).not.toBeNull();
    await driver.close();
  });
});

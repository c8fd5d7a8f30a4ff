import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import type { AuditEvent, RecordKind, StorageDriver, StoredRecord, WrappedKey } from "../../src/storage/types.js";

/**
 * Opens a driver on an isolated namespace (a file, a table prefix, a key prefix).
 * Opening the same scope twice must reach the same data.
 */
export type OpenDriver = (scope: string) => Promise<StorageDriver>;

// Far enough ahead of the wall clock that Redis's native TTL never fires during a case:
// expiry here is decided by the `now` each call passes, as the interface demands.
const T = Date.now() + 3_600_000;

const key = () => randomBytes(16).toString("base64url");
const blobOf = (n: number) => {
  // Every byte value, so no driver may treat the blob as text.
  const b = new Uint8Array(256 + n);
  for (let i = 0; i < b.length; i++) b[i] = (i * 7 + n) % 256;
  return b;
};

function rec(overrides: Partial<StoredRecord> = {}): StoredRecord {
  return {
    kind: "session",
    key: key(),
    blob: blobOf(1),
    version: 1,
    expiresAt: T + 60_000,
    lastUsed: T,
    owner: null,
    ...overrides,
  };
}

const plain = (r: StoredRecord | null) => (r ? { ...r, blob: Buffer.from(r.blob).toString("hex") } : r);

/**
 * The storage conformance suite: every rule of `src/storage/types.ts`, run against one
 * driver on a real server.
 */
export function describeDriverConformance(name: string, open: OpenDriver): void {
  describe(`storage conformance: ${name}`, () => {
    const opened: StorageDriver[] = [];
    const fresh = async (scope = `c${randomBytes(5).toString("hex")}`) => {
      const driver = await open(scope);
      await driver.init();
      opened.push(driver);
      return driver;
    };
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((d) => d.close().catch(() => {})));
    });

    it("reports its name and answers ping", async () => {
      const d = await fresh();
      expect(d.name).toBe(name);
      await expect(d.ping()).resolves.toBeUndefined();
    });

    it("round-trips a record byte for byte, keyed by kind and key", async () => {
      const d = await fresh();
      const r = rec({ owner: key(), blob: blobOf(3) });
      expect(await d.put(r)).toBe(true);
      const got = await d.get("session", r.key, T);
      expect(plain(got)).toEqual(plain(r));
      expect(got?.blob).toBeInstanceOf(Uint8Array);
      expect(await d.get("user", r.key, T)).toBeNull();
      expect(await d.get("session", key(), T)).toBeNull();
      const forever = rec({ kind: "token", expiresAt: null });
      await d.put(forever);
      expect(plain(await d.get("token", forever.key, Number.MAX_SAFE_INTEGER))).toEqual(plain(forever));
    });

    it("init is idempotent and data survives reopening", async () => {
      const scope = `r${randomBytes(5).toString("hex")}`;
      const d = await fresh(scope);
      await d.init();
      const r = rec({ owner: key() });
      await d.put(r);
      await d.close();
      const again = await fresh(scope);
      expect(plain(await again.get("session", r.key, T))).toEqual(plain(r));
    });

    it("put replaces unconditionally when no version is expected", async () => {
      const d = await fresh();
      const r = rec();
      expect(await d.put(r)).toBe(true);
      expect(await d.put({ ...r, blob: blobOf(9), version: 7 })).toBe(true);
      const got = await d.get("session", r.key, T);
      expect(got?.version).toBe(7);
      expect(Buffer.from(got!.blob)).toEqual(Buffer.from(blobOf(9)));
    });

    it("compare-and-set: expectVersion 0 creates only when absent, n only on the live version n", async () => {
      const d = await fresh();
      const r = rec();
      expect(await d.put({ ...r, version: 3 }, { expectVersion: 2 })).toBe(false);
      expect(await d.get("session", r.key, T)).toBeNull();
      expect(await d.put(r, { expectVersion: 0 })).toBe(true);
      expect(await d.put({ ...r, blob: blobOf(2) }, { expectVersion: 0 })).toBe(false);
      expect(await d.put({ ...r, version: 2, blob: blobOf(4) }, { expectVersion: 1 })).toBe(true);
      expect(await d.put({ ...r, version: 2, blob: blobOf(5) }, { expectVersion: 1 })).toBe(false);
      const got = await d.get("session", r.key, T);
      expect(got?.version).toBe(2);
      expect(Buffer.from(got!.blob)).toEqual(Buffer.from(blobOf(4)));
    });

    it("compare-and-set treats an expired record as absent", async () => {
      const d = await fresh();
      const r = rec({ expiresAt: T + 1000, version: 4 });
      await d.put(r);
      const later = T + 1000;
      // Version 4 no longer counts once it expired...
      expect(await d.put({ ...r, version: 5, lastUsed: later }, { expectVersion: 4, now: later })).toBe(false);
      // ...and the key is free for a new record.
      const reborn = { ...r, version: 1, expiresAt: later + 5000, lastUsed: later, blob: blobOf(8) };
      expect(await d.put(reborn, { expectVersion: 0, now: later })).toBe(true);
      expect(plain(await d.get("session", r.key, later))).toEqual(plain(reborn));
      // Without an explicit `now`, the write's lastUsed is the clock reading.
      const again = rec({ expiresAt: T + 10 });
      await d.put(again);
      expect(await d.put({ ...again, lastUsed: T + 10 }, { expectVersion: 0 })).toBe(true);
    });

    it("compare-and-set admits exactly one of many concurrent writers", async () => {
      const d = await fresh();
      const r = rec();
      await d.put(r);
      const results = await Promise.all(
        Array.from({ length: 12 }, (_, i) => d.put({ ...r, version: 2, blob: blobOf(20 + i) }, { expectVersion: 1 })),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      const creators = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          d.put(rec({ key: `race-${r.key}`, blob: blobOf(i) }), { expectVersion: 0 }),
        ),
      );
      expect(creators.filter(Boolean)).toHaveLength(1);
    });

    it("an expired record is invisible at once, before any sweep", async () => {
      const d = await fresh();
      const owner = key();
      const r = rec({ expiresAt: T + 1000, owner });
      await d.put(r);
      await d.indexPut(`email:${r.key}`, r.key, T + 1000, T);
      expect(await d.get("session", r.key, T + 999)).not.toBeNull();
      expect(await d.indexGet(`email:${r.key}`, T + 999)).toBe(r.key);
      expect((await d.listByOwner("session", owner, T + 999, 0, 10)).total).toBe(1);
      // expiresAt at or before now means expired.
      expect(await d.get("session", r.key, T + 1000)).toBeNull();
      expect(await d.indexGet(`email:${r.key}`, T + 1000)).toBeNull();
      expect(await d.listByOwner("session", owner, T + 1000, 0, 10)).toEqual({ records: [], total: 0 });
      expect(await d.touch("session", r.key, T + 99_000, T + 1000, T + 1000)).toBe(false);
      // Reads with an earlier clock still see it: nothing was rewritten by the misses.
      expect(await d.get("session", r.key, T + 500)).not.toBeNull();
    });

    it("touch moves expiry and lastUsed forward without rewriting the blob or version", async () => {
      const d = await fresh();
      const r = rec({ expiresAt: T + 1000, version: 3 });
      await d.put(r);
      expect(await d.touch("session", r.key, T + 5000, T + 900, T + 900)).toBe(true);
      const got = await d.get("session", r.key, T + 4999);
      expect(got).toMatchObject({ expiresAt: T + 5000, lastUsed: T + 900, version: 3 });
      expect(Buffer.from(got!.blob)).toEqual(Buffer.from(r.blob));
      expect(await d.get("session", r.key, T + 5000)).toBeNull();
      // Clearing the expiry keeps the record for good.
      expect(await d.touch("session", r.key, null, T + 1000, T + 1000)).toBe(true);
      expect((await d.get("session", r.key, T + 10_000_000))?.expiresAt).toBeNull();
      expect(await d.touch("session", key(), T + 5000, T, T)).toBe(false);
    });

    it("lists an owner's live records most recently used first, with offset, limit and total", async () => {
      const d = await fresh();
      const owner = key();
      const other = key();
      const mine = Array.from({ length: 7 }, (_, i) => rec({ owner, lastUsed: T + i * 10 }));
      for (const r of mine) await d.put(r);
      await d.put(rec({ owner: other, lastUsed: T + 500 }));
      await d.put(rec({ kind: "user", owner, lastUsed: T + 600 }));
      await d.put(rec({ owner, lastUsed: T + 700, expiresAt: T + 100 })); // expired at T + 100
      const newestFirst = [...mine].reverse().map((r) => r.key);

      const all = await d.listByOwner("session", owner, T + 100, 0, 100);
      expect(all.total).toBe(7);
      expect(all.records.map((r) => r.key)).toEqual(newestFirst);
      expect(plain(all.records[0]!)).toEqual(plain(mine[6]!));

      const page = await d.listByOwner("session", owner, T + 100, 2, 3);
      expect(page.total).toBe(7);
      expect(page.records.map((r) => r.key)).toEqual(newestFirst.slice(2, 5));
      expect(await d.listByOwner("session", owner, T + 100, 50, 3)).toEqual({ records: [], total: 7 });
      expect((await d.listByOwner("session", owner, T + 100, 0, 0)).records).toEqual([]);
      expect(await d.listByOwner("session", key(), T, 0, 10)).toEqual({ records: [], total: 0 });

      // A touch makes a record the most recent; a rewrite to another owner moves it.
      await d.touch("session", mine[0]!.key, T + 60_000, T + 1000, T + 1000);
      expect((await d.listByOwner("session", owner, T + 1000, 0, 1)).records[0]?.key).toBe(mine[0]!.key);
      await d.put({ ...mine[1]!, owner: other, lastUsed: T + 1001 });
      expect((await d.listByOwner("session", owner, T + 1001, 0, 100)).total).toBe(6);
      const theirs = await d.listByOwner("session", other, T + 1001, 0, 100);
      expect(theirs.records.map((r) => r.key)[0]).toBe(mine[1]!.key);
      expect(theirs.total).toBe(2);
      // Deleting one removes it from the listing.
      expect(await d.delete("session", mine[2]!.key)).toBe(true);
      expect(await d.delete("session", mine[2]!.key)).toBe(false);
      const after = await d.listByOwner("session", owner, T + 1001, 0, 100);
      expect(after.total).toBe(5);
      expect(after.records.map((r) => r.key)).not.toContain(mine[2]!.key);
    });

    it("deleteByOwner removes every record of one owner except the kept ones", async () => {
      const d = await fresh();
      const owner = key();
      const other = key();
      const mine = Array.from({ length: 5 }, (_, i) => rec({ owner, lastUsed: T + i }));
      for (const r of mine) await d.put(r);
      const theirs = rec({ owner: other });
      await d.put(theirs);
      const userRecord = rec({ kind: "user", owner });
      await d.put(userRecord);
      // Expired but not yet swept: deleted too, but not counted.
      const stale = rec({ owner, expiresAt: T - 1, lastUsed: T - 100 });
      await d.put(stale, { now: T - 200 });
      const keep = [mine[1]!.key, mine[3]!.key, key()];
      expect(await d.deleteByOwner("session", owner, keep, T)).toBe(3);
      expect(await d.get("session", stale.key, T - 50)).toBeNull();
      const left = await d.listByOwner("session", owner, T, 0, 10);
      expect(left.records.map((r) => r.key).sort()).toEqual([mine[1]!.key, mine[3]!.key].sort());
      expect(await d.get("session", mine[0]!.key, T)).toBeNull();
      expect(await d.get("session", theirs.key, T)).not.toBeNull();
      expect(await d.get("user", userRecord.key, T)).not.toBeNull();
      // Live at T, expired by T + 120_000: counted by the clock the caller passes.
      expect(await d.deleteByOwner("session", owner, [], T + 120_000)).toBe(0);
      expect(await d.listByOwner("session", owner, T, 0, 10)).toEqual({ records: [], total: 0 });
      expect(await d.deleteByOwner("session", owner, [], T)).toBe(0);
    });

    it("delete and sweep take the index entries of a removed user or token with them, and only theirs", async () => {
      const d = await fresh();
      // Names claimed without an expiry, as for a record with only a sliding window.
      const sliding = rec({ kind: "user", expiresAt: T + 100 });
      const deleted = rec({ kind: "token", expiresAt: null });
      const lasting = rec({ kind: "user", expiresAt: T + 100_000 });
      const session = rec({ kind: "session", expiresAt: T + 100 });
      for (const r of [sliding, deleted, lasting, session]) await d.put(r);
      const names = {
        sliding: [`login:${key()}`, `email:${key()}`],
        deleted: [`base:${key()}`],
        lasting: [`login:${key()}`],
        session: [`other:${key()}`],
      };
      for (const n of names.sliding) expect(await d.indexPut(n, sliding.key, null, T)).toBe(true);
      expect(await d.indexPut(names.deleted[0]!, deleted.key, null, T)).toBe(true);
      expect(await d.indexPut(names.lasting[0]!, lasting.key, null, T)).toBe(true);
      expect(await d.indexPut(names.session[0]!, session.key, null, T)).toBe(true);
      // A name handed over to another record stays with its new holder.
      const moved = `login:${key()}`;
      await d.indexPut(moved, sliding.key, T + 10, T);
      expect(await d.indexPut(moved, lasting.key, null, T + 20)).toBe(true);
      await d.indexDelete(names.sliding[1]!);
      expect(await d.indexPut(names.sliding[1]!, lasting.key, null, T)).toBe(true);

      expect(await d.delete("token", deleted.key)).toBe(true);
      expect(await d.indexGet(names.deleted[0]!, T)).toBeNull();
      expect(await d.indexGet(names.sliding[0]!, T)).toBe(sliding.key);

      const now = T + 1000;
      // Two records; the index entries of the swept user are not counted.
      expect(await d.sweep(now, 100)).toBe(2);
      expect(await d.indexGet(names.sliding[0]!, now)).toBeNull();
      expect(await d.indexGet(names.sliding[1]!, now)).toBe(lasting.key);
      expect(await d.indexGet(moved, now)).toBe(lasting.key);
      expect(await d.indexGet(names.lasting[0]!, now)).toBe(lasting.key);
      // Sessions claim no names; an entry that happens to hold a session key is left alone.
      expect(await d.indexGet(names.session[0]!, now)).toBe(session.key);
      // A freed name can be claimed again at once.
      expect(await d.indexPut(names.sliding[0]!, key(), null, now)).toBe(true);
    });

    it("unique index: a live name is taken, an expired or deleted one is free", async () => {
      const d = await fresh();
      const name = `login:${key()}`;
      const [a, b] = [key(), key()];
      expect(await d.indexGet(name, T)).toBeNull();
      expect(await d.indexPut(name, a, T + 1000, T)).toBe(true);
      expect(await d.indexPut(name, b, null, T + 1)).toBe(false);
      expect(await d.indexGet(name, T + 1)).toBe(a);
      expect(await d.indexPut(name, b, null, T + 1000)).toBe(true);
      expect(await d.indexGet(name, T + 10_000_000)).toBe(b);
      expect(await d.indexPut(name, a, null, T + 2000)).toBe(false);
      await d.indexDelete(name);
      await d.indexDelete(name);
      expect(await d.indexGet(name, T)).toBeNull();
      expect(await d.indexPut(name, a, null, T)).toBe(true);
      const racers = await Promise.all(Array.from({ length: 10 }, () => d.indexPut(`race:${name}`, key(), null, T)));
      expect(racers.filter(Boolean)).toHaveLength(1);
    });

    it("indexDelete with a key removes the entry only while it still names that key", async () => {
      const d = await fresh();
      const name = `email:${key()}`;
      const [a, b] = [key(), key()];
      expect(await d.indexPut(name, a, null, T)).toBe(true);
      await d.indexDelete(name, b);
      expect(await d.indexGet(name, T)).toBe(a);
      await d.indexDelete(name, a);
      expect(await d.indexGet(name, T)).toBeNull();
    });

    it("sweep removes expired records and index entries, at most `limit` at a time", async () => {
      const d = await fresh();
      const owner = key();
      const dead = Array.from({ length: 5 }, (_, i) => rec({ owner, expiresAt: T + 100 + i }));
      const live = rec({ owner, expiresAt: T + 100_000 });
      const forever = rec({ kind: "user", expiresAt: null });
      for (const r of [...dead, live, forever]) await d.put(r);
      await d.indexPut(`dead:${owner}`, dead[0]!.key, T + 100, T);
      await d.indexPut(`live:${owner}`, live.key, null, T);
      // Extended after being written: the sweep must use the new expiry.
      await d.touch("session", dead[4]!.key, T + 100_000, T + 50, T + 50);

      const now = T + 1000;
      expect(await d.sweep(now, 2)).toBe(2);
      expect(await d.sweep(now, 100)).toBe(3); // 2 records + 1 index entry
      expect(await d.sweep(now, 100)).toBe(0);
      expect(await d.get("session", live.key, now)).not.toBeNull();
      expect(await d.get("session", dead[4]!.key, now)).not.toBeNull();
      expect(await d.get("user", forever.key, now)).not.toBeNull();
      expect(await d.indexGet(`live:${owner}`, now)).toBe(live.key);
      // Swept records are gone even for a reader whose clock is behind.
      for (const r of dead.slice(0, 4)) expect(await d.get("session", r.key, T)).toBeNull();
      expect(await d.indexGet(`dead:${owner}`, T)).toBeNull();
      const listed = await d.listByOwner("session", owner, T, 0, 10);
      expect(listed.records.map((r) => r.key).sort()).toEqual([live.key, dead[4]!.key].sort());
      expect(listed.total).toBe(2);
    });

    it("scan pages through every record exactly once", async () => {
      const d = await fresh();
      const kinds: RecordKind[] = ["session", "user", "token"];
      const written = Array.from({ length: 23 }, (_, i) => rec({ kind: kinds[i % 3]!, owner: i % 2 ? key() : null }));
      for (const r of written) await d.put(r);
      const seen: StoredRecord[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page = await d.scan(cursor, 5);
        seen.push(...page.records);
        cursor = page.next;
        pages++;
        expect(pages).toBeLessThan(100);
      } while (cursor !== null);
      const ids = seen.map((r) => `${r.kind}/${r.key}`);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.sort()).toEqual(written.map((r) => `${r.kind}/${r.key}`).sort());
      const sample = seen.find((r) => r.key === written[5]!.key);
      expect(plain(sample ?? null)).toEqual(plain(written[5]!));
    });

    it("keeps an audit event's metadata, and leaves it out when there is none", async () => {
      const d = await fresh();
      const metadata = { requestId: "r-1", hops: 3, nested: { route: "/login", ok: true, list: [1, "two"] } };
      await d.appendAudit({
        at: T,
        actor: "app",
        action: "SessionUpsert",
        target: null,
        outcome: "ok",
        tenant: null,
        metadata,
      });
      await d.appendAudit({ at: T + 1, actor: "app", action: "SessionGet", target: null, outcome: "ok", tenant: null });
      const [withMeta, without] = await d.readAudit(0, 10);
      expect(withMeta?.metadata).toEqual(metadata);
      expect(without).toEqual({
        at: T + 1,
        actor: "app",
        action: "SessionGet",
        target: null,
        outcome: "ok",
        tenant: null,
      });
      expect(without).not.toHaveProperty("metadata");
    });

    it("appends, reads and prunes audit events in time order", async () => {
      const d = await fresh();
      const events: AuditEvent[] = Array.from({ length: 6 }, (_, i) => ({
        at: T + i * 100,
        actor: `app${i % 2}`,
        action: i % 2 ? "SessionGet" : "SessionUpsert",
        target: i === 3 ? null : key(),
        outcome: i === 4 ? "not_found" : "ok",
        tenant: i === 2 ? key() : null,
      }));
      for (const e of events) await d.appendAudit(e);
      // Two events in the same millisecond are both kept.
      const twin = { ...events[5]!, action: "SessionDelete" };
      await d.appendAudit(twin);
      expect(await d.readAudit(0, 100)).toEqual([...events, twin]);
      expect(await d.readAudit(T + 200, 2)).toEqual(events.slice(2, 4));
      expect(await d.pruneAudit(T + 300)).toBe(3);
      expect(await d.readAudit(0, 100)).toEqual([...events.slice(3), twin]);
      expect(await d.pruneAudit(T + 300)).toBe(0);
    });

    it("saves, updates and loads wrapped keys", async () => {
      const d = await fresh();
      const k1: WrappedKey = { id: "k1", wrapped: blobOf(60), masterId: "m1", createdAt: T, state: "active" };
      const k2: WrappedKey = { id: "k2", wrapped: blobOf(61), masterId: "m1", createdAt: T + 1, state: "active" };
      expect(await d.loadKeys()).toEqual([]);
      await d.saveKey(k1);
      await d.saveKey(k2);
      await d.saveKey({ ...k1, state: "decrypt" });
      const loaded = await d.loadKeys();
      const hex = (ks: WrappedKey[]) => ks.map((k) => ({ ...k, wrapped: Buffer.from(k.wrapped).toString("hex") }));
      expect(hex(loaded)).toEqual(hex([{ ...k1, state: "decrypt" }, k2]));
    });

    it("fails calls after close", async () => {
      const d = await fresh();
      await d.close();
      await expect(d.ping()).rejects.toThrow();
      await expect(d.get("session", key(), T)).rejects.toThrow();
    });
  });
}

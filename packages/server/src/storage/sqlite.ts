import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { DatabaseSync, type StatementSync } from "node:sqlite";
import type {
  AuditEvent,
  ListResult,
  PutOptions,
  RecordKind,
  ScanPage,
  StorageDriver,
  StoredRecord,
  WrappedKey,
} from "./types.js";

/** Options for {@link createSqliteDriver}. */
export interface SqliteDriverOptions {
  /** Path of the database file; `:memory:` for a throwaway in-process database. */
  path: string;
}

type Row = Record<string, unknown>;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS records (
  kind TEXT NOT NULL,
  key TEXT NOT NULL,
  blob BLOB NOT NULL,
  version INTEGER NOT NULL,
  expires_at INTEGER,
  last_used INTEGER NOT NULL,
  owner TEXT,
  PRIMARY KEY (kind, key)
);
CREATE INDEX IF NOT EXISTS records_owner ON records (kind, owner, last_used DESC) WHERE owner IS NOT NULL;
CREATE INDEX IF NOT EXISTS records_expiry ON records (expires_at) WHERE expires_at IS NOT NULL;
CREATE TABLE IF NOT EXISTS indexes (
  name TEXT PRIMARY KEY,
  key TEXT NOT NULL,
  expires_at INTEGER
);
CREATE INDEX IF NOT EXISTS indexes_expiry ON indexes (expires_at) WHERE expires_at IS NOT NULL;
CREATE TABLE IF NOT EXISTS audit (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT,
  outcome TEXT NOT NULL,
  tenant TEXT
);
CREATE INDEX IF NOT EXISTS audit_at ON audit (at);
CREATE TABLE IF NOT EXISTS keys (
  id TEXT PRIMARY KEY,
  wrapped BLOB NOT NULL,
  master_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  state TEXT NOT NULL
);
`;

const LIVE = "(expires_at IS NULL OR expires_at > ?)";

function toRecord(row: Row): StoredRecord {
  return {
    kind: row.kind as RecordKind,
    key: row.key as string,
    blob: row.blob as Uint8Array,
    version: Number(row.version),
    expiresAt: row.expires_at === null ? null : Number(row.expires_at),
    lastUsed: Number(row.last_used),
    owner: (row.owner as string | null) ?? null,
  };
}

/**
 * The embedded driver on Node's built-in `node:sqlite`: one file, WAL journal,
 * `synchronous=FULL` so every acknowledged write is on disk, prepared statements only.
 *
 * @example
 * ```ts
 * const driver = createSqliteDriver({ path: "./data/vault.db" });
 * await driver.init();
 * ```
 */
export function createSqliteDriver(options: SqliteDriverOptions): StorageDriver {
  return new SqliteDriver(options.path);
}

interface QueuedWrite {
  run: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

class SqliteDriver implements StorageDriver {
  readonly name = "sqlite" as const;
  private db: DatabaseSync | null = null;
  private readonly statements = new Map<string, StatementSync>();
  private queue: QueuedWrite[] = [];
  private scheduled = false;

  constructor(private readonly path: string) {}

  /**
   * Group commit: writes that arrive in the same turn of the event loop share one
   * transaction and one fsync. Each promise settles only after COMMIT, so an
   * acknowledged write is on disk; statements run in arrival order, so compare-and-set
   * sees every earlier write of the batch.
   */
  private write<T>(run: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ run, resolve: resolve as (value: unknown) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    const db = this.db;
    if (!db) {
      for (const item of batch) item.reject(new Error("sqlite storage is closed"));
      return;
    }
    try {
      db.exec("BEGIN IMMEDIATE");
    } catch (error) {
      for (const item of batch) item.reject(error);
      return;
    }
    const outcomes: { ok: boolean; value: unknown }[] = [];
    for (const item of batch) {
      try {
        outcomes.push({ ok: true, value: item.run() });
      } catch (error) {
        outcomes.push({ ok: false, value: error });
      }
    }
    try {
      db.exec("COMMIT");
    } catch (error) {
      try {
        db.exec("ROLLBACK");
      } catch {
        // A failed COMMIT may already have rolled back.
      }
      for (const item of batch) item.reject(error);
      return;
    }
    batch.forEach((item, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) item.resolve(outcome.value);
      else item.reject(outcome.value);
    });
  }

  private stmt(sql: string): StatementSync {
    let statement = this.statements.get(sql);
    if (!statement) {
      if (!this.db) throw new Error("sqlite storage is closed");
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  async init(): Promise<void> {
    if (this.db) return;
    if (this.path !== ":memory:") mkdirSync(dirname(this.path), { recursive: true });
    const db = new DatabaseSync(this.path);
    db.exec("PRAGMA journal_mode = WAL");
    db.exec("PRAGMA synchronous = FULL");
    db.exec("PRAGMA busy_timeout = 5000");
    db.exec(SCHEMA);
    this.db = db;
  }

  async get(kind: RecordKind, key: string, now: number): Promise<StoredRecord | null> {
    const row = this.stmt(`SELECT * FROM records WHERE kind = ? AND key = ? AND ${LIVE}`).get(kind, key, now) as
      | Row
      | undefined;
    return row ? toRecord(row) : null;
  }

  async put(record: StoredRecord, options: PutOptions = {}): Promise<boolean> {
    return this.write(() => {
      const now = options.now ?? record.lastUsed;
      const values = [
        record.kind,
        record.key,
        record.blob,
        record.version,
        record.expiresAt,
        record.lastUsed,
        record.owner,
      ] as const;
      const expect = options.expectVersion;
      if (expect === undefined) {
        this.stmt(
          "INSERT OR REPLACE INTO records (kind, key, blob, version, expires_at, last_used, owner) VALUES (?, ?, ?, ?, ?, ?, ?)",
        ).run(...values);
        return true;
      }
      if (expect === 0) {
        const result = this.stmt(
          `INSERT INTO records (kind, key, blob, version, expires_at, last_used, owner) VALUES (?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (kind, key) DO UPDATE SET blob = excluded.blob, version = excluded.version,
             expires_at = excluded.expires_at, last_used = excluded.last_used, owner = excluded.owner
           WHERE records.expires_at IS NOT NULL AND records.expires_at <= ?`,
        ).run(...values, now);
        return Number(result.changes) === 1;
      }
      const result = this.stmt(
        `UPDATE records SET blob = ?, version = ?, expires_at = ?, last_used = ?, owner = ?
         WHERE kind = ? AND key = ? AND version = ? AND ${LIVE}`,
      ).run(
        record.blob,
        record.version,
        record.expiresAt,
        record.lastUsed,
        record.owner,
        record.kind,
        record.key,
        expect,
        now,
      );
      return Number(result.changes) === 1;
    });
  }

  async touch(
    kind: RecordKind,
    key: string,
    expiresAt: number | null,
    lastUsed: number,
    now: number,
  ): Promise<boolean> {
    return this.write(() => {
      const result = this.stmt(
        `UPDATE records SET expires_at = ?, last_used = ? WHERE kind = ? AND key = ? AND ${LIVE}`,
      ).run(expiresAt, lastUsed, kind, key, now);
      return Number(result.changes) === 1;
    });
  }

  async delete(kind: RecordKind, key: string): Promise<boolean> {
    return this.write(() => {
      const result = this.stmt("DELETE FROM records WHERE kind = ? AND key = ?").run(kind, key);
      return Number(result.changes) > 0;
    });
  }

  async listByOwner(kind: RecordKind, owner: string, now: number, offset: number, limit: number): Promise<ListResult> {
    const rows = this.stmt(
      `SELECT * FROM records WHERE kind = ? AND owner = ? AND ${LIVE} ORDER BY last_used DESC, key LIMIT ? OFFSET ?`,
    ).all(kind, owner, now, Math.max(0, limit), Math.max(0, offset)) as Row[];
    const count = this.stmt(`SELECT count(*) AS n FROM records WHERE kind = ? AND owner = ? AND ${LIVE}`).get(
      kind,
      owner,
      now,
    ) as Row;
    return { records: rows.map(toRecord), total: Number(count.n) };
  }

  async deleteByOwner(kind: RecordKind, owner: string, keepKeys: readonly string[]): Promise<number> {
    return this.write(() => {
      const result = this.stmt(
        "DELETE FROM records WHERE kind = ? AND owner = ? AND key NOT IN (SELECT value FROM json_each(?))",
      ).run(kind, owner, JSON.stringify(keepKeys));
      return Number(result.changes);
    });
  }

  async indexPut(name: string, key: string, expiresAt: number | null, now: number): Promise<boolean> {
    return this.write(() => {
      const result = this.stmt(
        `INSERT INTO indexes (name, key, expires_at) VALUES (?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET key = excluded.key, expires_at = excluded.expires_at
         WHERE indexes.expires_at IS NOT NULL AND indexes.expires_at <= ?`,
      ).run(name, key, expiresAt, now);
      return Number(result.changes) === 1;
    });
  }

  async indexGet(name: string, now: number): Promise<string | null> {
    const row = this.stmt(`SELECT key FROM indexes WHERE name = ? AND ${LIVE}`).get(name, now) as Row | undefined;
    return row ? (row.key as string) : null;
  }

  async indexDelete(name: string): Promise<void> {
    return this.write(() => {
      this.stmt("DELETE FROM indexes WHERE name = ?").run(name);
    });
  }

  async sweep(now: number, limit: number): Promise<number> {
    return this.write(() => {
      const records = this.stmt(
        "DELETE FROM records WHERE rowid IN (SELECT rowid FROM records WHERE expires_at IS NOT NULL AND expires_at <= ? LIMIT ?)",
      ).run(now, limit);
      const deleted = Number(records.changes);
      if (deleted >= limit) return deleted;
      const indexes = this.stmt(
        "DELETE FROM indexes WHERE rowid IN (SELECT rowid FROM indexes WHERE expires_at IS NOT NULL AND expires_at <= ? LIMIT ?)",
      ).run(now, limit - deleted);
      return deleted + Number(indexes.changes);
    });
  }

  async scan(cursor: string | null, limit: number): Promise<ScanPage> {
    let after: [string, string] = ["", ""];
    if (cursor) {
      try {
        const parsed: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
        if (Array.isArray(parsed) && typeof parsed[0] === "string" && typeof parsed[1] === "string") {
          after = [parsed[0], parsed[1]];
        }
      } catch {
        // An unreadable cursor restarts the scan; scanning is idempotent.
      }
    }
    const rows = this.stmt("SELECT * FROM records WHERE (kind, key) > (?, ?) ORDER BY kind, key LIMIT ?").all(
      after[0],
      after[1],
      limit,
    ) as Row[];
    const records = rows.map(toRecord);
    const last = records.at(-1);
    const next =
      records.length === limit && last
        ? Buffer.from(JSON.stringify([last.kind, last.key])).toString("base64url")
        : null;
    return { records, next };
  }

  async appendAudit(event: AuditEvent): Promise<void> {
    return this.write(() => {
      this.stmt("INSERT INTO audit (at, actor, action, target, outcome, tenant) VALUES (?, ?, ?, ?, ?, ?)").run(
        event.at,
        event.actor,
        event.action,
        event.target,
        event.outcome,
        event.tenant,
      );
    });
  }

  async pruneAudit(before: number): Promise<number> {
    return this.write(() => {
      return Number(this.stmt("DELETE FROM audit WHERE at < ?").run(before).changes);
    });
  }

  async readAudit(since: number, limit: number): Promise<AuditEvent[]> {
    const rows = this.stmt("SELECT * FROM audit WHERE at >= ? ORDER BY id LIMIT ?").all(since, limit) as Row[];
    return rows.map((row) => ({
      at: Number(row.at),
      actor: row.actor as string,
      action: row.action as string,
      target: (row.target as string | null) ?? null,
      outcome: row.outcome as string,
      tenant: (row.tenant as string | null) ?? null,
    }));
  }

  async loadKeys(): Promise<WrappedKey[]> {
    const rows = this.stmt("SELECT * FROM keys ORDER BY created_at, id").all() as Row[];
    return rows.map((row) => ({
      id: row.id as string,
      wrapped: row.wrapped as Uint8Array,
      masterId: row.master_id as string,
      createdAt: Number(row.created_at),
      state: row.state as WrappedKey["state"],
    }));
  }

  async saveKey(key: WrappedKey): Promise<void> {
    return this.write(() => {
      this.stmt(
        `INSERT INTO keys (id, wrapped, master_id, created_at, state) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET wrapped = excluded.wrapped, master_id = excluded.master_id, state = excluded.state`,
      ).run(key.id, key.wrapped, key.masterId, key.createdAt, key.state);
    });
  }

  async ping(): Promise<void> {
    this.stmt("SELECT 1").get();
  }

  async close(): Promise<void> {
    this.flush();
    this.statements.clear();
    this.db?.close();
    this.db = null;
  }
}

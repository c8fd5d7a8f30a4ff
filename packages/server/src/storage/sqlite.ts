import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type { StatementSync } from "node:sqlite";
import { Worker } from "node:worker_threads";
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

// Node 22 announces node:sqlite with an unstructured ExperimentalWarning on stderr; the
// vault's logs are structured JSON only, so that one notice is dropped while loading it
// (here and in the writer thread, which embeds this function's source).
function withoutSqliteNotice<T>(load: () => T): T {
  const emitWarning = process.emitWarning;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const text = typeof warning === "string" ? warning : warning?.message;
    if (typeof text === "string" && text.includes("SQLite")) return;
    Reflect.apply(emitWarning, process, [warning, ...rest]);
  }) as typeof process.emitWarning;
  try {
    return load();
  } finally {
    process.emitWarning = emitWarning;
  }
}

const { DatabaseSync } = withoutSqliteNotice(
  () => process.getBuiltinModule("node:sqlite") as typeof import("node:sqlite"),
);
type DatabaseSync = import("node:sqlite").DatabaseSync;

/**
 * Options for {@link createSqliteDriver}.
 *
 * @example
 * ```ts
 * const options: SqliteDriverOptions = { path: "./data/vault.db", durability: "fsync" };
 * ```
 */
export interface SqliteDriverOptions {
  /** Path of the database file; `:memory:` for a throwaway in-process database. */
  path: string;
  /**
   * `"fsync"` (default): a write is acknowledged after its commit is fsynced
   * (`synchronous=FULL`), so it survives power loss. `"process"`: acknowledged after the
   * commit reaches the OS (`synchronous=NORMAL` in WAL mode), so it survives a crash or
   * kill -9 of the vault, but the last moments of writes may be lost if the OS crashes or
   * the power fails.
   */
  durability?: Durability;
}

/**
 * What an acknowledged write survives: `"fsync"` power loss, `"process"` a crash of the
 * vault process (not of the OS).
 *
 * @example
 * ```ts
 * const durability: Durability = process.env.SESSIONVAULT_DURABILITY === "process" ? "process" : "fsync";
 * ```
 */
export type Durability = "fsync" | "process";

const SYNCHRONOUS: Record<Durability, string> = { fsync: "FULL", process: "NORMAL" };

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
CREATE INDEX IF NOT EXISTS indexes_key ON indexes (key);
-- A name claimed by a user or token without an expiry (sliding window only) must not
-- outlive its record, whichever statement removes the record.
CREATE TRIGGER IF NOT EXISTS records_drop_names AFTER DELETE ON records WHEN old.kind <> 'session'
BEGIN
  DELETE FROM indexes WHERE key = old.key;
END;
CREATE TABLE IF NOT EXISTS audit (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT,
  outcome TEXT NOT NULL,
  tenant TEXT,
  metadata TEXT
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
const GET_LIVE_RECORD = `SELECT blob, version, expires_at, last_used, owner FROM records WHERE kind = ? AND key = ? AND ${LIVE}`;

/** Brings a file written by an older vault up to SCHEMA; additive, so older vaults still read it. */
function migrate(db: DatabaseSync): void {
  const hasMetadata = () =>
    (db.prepare("PRAGMA table_info(audit)").all() as Row[]).some((column) => column.name === "metadata");
  if (hasMetadata()) return;
  try {
    db.exec("ALTER TABLE audit ADD COLUMN metadata TEXT");
  } catch (error) {
    // Another process opening the same file may have added it first.
    if (!hasMetadata()) throw error;
  }
}

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
 * `synchronous=FULL` so every acknowledged write is on disk (or `NORMAL` with
 * `durability: "process"`), prepared statements only.
 *
 * @example
 * ```ts
 * const driver = createSqliteDriver({ path: "./data/vault.db" });
 * await driver.init();
 * ```
 */
export function createSqliteDriver(options: SqliteDriverOptions): StorageDriver {
  const durability = options.durability ?? "fsync";
  if (!(durability in SYNCHRONOUS)) throw new Error('durability must be "fsync" or "process"');
  return new SqliteDriver(options.path, SYNCHRONOUS[durability]!);
}

type Param = null | number | bigint | string | Uint8Array;

/** One write statement; its result is the number of rows it changed. */
interface WriteStatement {
  sql: string;
  params: Param[];
}

interface Writer {
  run(statement: WriteStatement): Promise<number>;
  /** Resolves once every queued write has committed. */
  close(): Promise<void>;
  /** Throws when the writer can no longer commit. */
  check(): void;
}

interface Queued {
  statement: WriteStatement;
  resolve: (changes: number) => void;
  reject: (error: Error) => void;
}

type Outcome = { changes: number } | { error: string };

const MAX_BATCH = 512;
/**
 * Batches handed to the committer at once: one committing and the next waiting beside it,
 * so the committer starts on the next transaction without a round trip to this thread.
 */
const MAX_IN_FLIGHT = 2;

/**
 * Runs one batch inside one transaction. Self-contained (no imports, no closures) because
 * its source text is also what the writer thread runs.
 */
function runBatch(db: DatabaseSync, cache: Map<string, StatementSync>, batch: WriteStatement[]): Outcome[] {
  db.exec("BEGIN IMMEDIATE");
  const results: Outcome[] = [];
  for (const s of batch) {
    try {
      let st = cache.get(s.sql);
      if (!st) {
        st = db.prepare(s.sql);
        cache.set(s.sql, st);
      }
      results.push({ changes: Number(st.run(...s.params).changes) });
    } catch (e) {
      results.push({ error: String((e as Error)?.message ?? e) });
    }
  }
  try {
    db.exec("COMMIT");
  } catch (e) {
    try {
      db.exec("ROLLBACK");
    } catch {}
    throw e;
  }
  return results;
}

const WRITER_THREAD = `
const { parentPort, workerData } = require("node:worker_threads");
const withoutSqliteNotice = ${withoutSqliteNotice.toString()};
const { DatabaseSync } = withoutSqliteNotice(() => require("node:sqlite"));
const runBatch = ${runBatch.toString()};
const db = new DatabaseSync(workerData.path);
db.exec("PRAGMA journal_mode = WAL");
db.exec("PRAGMA synchronous = " + workerData.synchronous);
db.exec("PRAGMA busy_timeout = 5000");
const cache = new Map();
parentPort.on("message", (msg) => {
  if (msg.close) {
    cache.clear();
    db.close();
    parentPort.postMessage({ closed: true });
    return;
  }
  try {
    parentPort.postMessage({ id: msg.id, results: runBatch(db, cache, msg.batch) });
  } catch (e) {
    parentPort.postMessage({ id: msg.id, error: String((e && e.message) || e) });
  }
});
`;

/**
 * Group commit: the writes queued while the previous batch commits go out together as
 * one transaction with one fsync, and the next batch is already waiting at the
 * committer when one finishes. A promise settles only after its COMMIT returned, so
 * an acknowledged write is on disk; statements run in arrival order, so a
 * compare-and-set sees every earlier write of its batch.
 */
abstract class BatchingWriter implements Writer {
  private queue: Queued[] = [];
  private inFlight = 0;
  private scheduled = false;
  private drained: (() => void) | null = null;
  protected failure: Error | null = null;

  run(statement: WriteStatement): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      if (this.failure) {
        reject(this.failure);
        return;
      }
      this.queue.push({ statement, resolve, reject });
      this.kick();
    });
  }

  check(): void {
    if (this.failure) throw this.failure;
  }

  private kick(): void {
    if (this.inFlight >= MAX_IN_FLIGHT || this.scheduled || this.queue.length === 0) return;
    this.scheduled = true;
    // Let the requests of this turn of the event loop join the batch.
    setImmediate(() => {
      this.scheduled = false;
      this.send();
    });
  }

  private send(): void {
    if (this.inFlight >= MAX_IN_FLIGHT || this.queue.length === 0) {
      if (this.inFlight === 0 && this.queue.length === 0) this.drained?.();
      return;
    }
    // Bounded batches keep one transaction's latency and memory bounded under a burst.
    const batch = this.queue.length > MAX_BATCH ? this.queue.splice(0, MAX_BATCH) : this.queue;
    if (batch === this.queue) this.queue = [];
    this.inFlight++;
    this.commit(batch.map((item) => item.statement)).then(
      (outcomes) => {
        batch.forEach((item, i) => {
          const outcome = outcomes[i];
          if (outcome && "changes" in outcome) item.resolve(outcome.changes);
          else item.reject(new Error(outcome?.error ?? "write failed"));
        });
        this.settle();
      },
      (error: unknown) => {
        const failure = error instanceof Error ? error : new Error(String(error));
        for (const item of batch) item.reject(failure);
        this.settle();
      },
    );
  }

  private settle(): void {
    this.inFlight--;
    // What queued while that batch committed goes out now, without waiting a turn.
    if (this.queue.length > 0) this.send();
    else if (this.inFlight === 0) this.drained?.();
  }

  protected async drain(): Promise<void> {
    if (this.inFlight === 0 && this.queue.length === 0) return;
    await new Promise<void>((resolve) => {
      this.drained = resolve;
    });
    this.drained = null;
  }

  protected abstract commit(batch: WriteStatement[]): Promise<Outcome[]>;
  abstract close(): Promise<void>;
}

/** Commits on a worker thread with its own connection, so fsync never blocks request handling. */
class ThreadWriter extends BatchingWriter {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (o: Outcome[]) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private closed: Promise<void> | null = null;

  constructor(path: string, synchronous: string) {
    super();
    this.worker = new Worker(WRITER_THREAD, {
      eval: true,
      workerData: { path, synchronous },
      // The writer only deserialises batches; a small young generation keeps its memory flat.
      resourceLimits: { maxYoungGenerationSizeMb: 8 },
    });
    this.worker.unref();
    this.worker.on("message", (msg: { id?: number; results?: Outcome[]; error?: string; closed?: boolean }) => {
      if (msg.id === undefined) return;
      const waiter = this.pending.get(msg.id);
      this.pending.delete(msg.id);
      if (this.pending.size === 0) this.worker.unref();
      if (!waiter) return;
      if (msg.results) waiter.resolve(msg.results);
      else waiter.reject(new Error(msg.error ?? "write failed"));
    });
    const fail = (error: Error) => {
      this.failure ??= error;
      for (const waiter of this.pending.values()) waiter.reject(error);
      this.pending.clear();
    };
    this.worker.on("error", (error) => fail(error));
    this.worker.on("exit", () => fail(new Error("sqlite writer stopped")));
  }

  protected commit(batch: WriteStatement[]): Promise<Outcome[]> {
    return new Promise<Outcome[]>((resolve, reject) => {
      const id = this.nextId++;
      this.pending.set(id, { resolve, reject });
      // Keep the process alive while a write is in flight, and only then.
      this.worker.ref();
      this.worker.postMessage({ id, batch });
    });
  }

  close(): Promise<void> {
    this.closed ??= (async () => {
      await this.drain();
      if (this.failure) return;
      this.worker.ref();
      await new Promise<void>((resolve) => {
        this.worker.once("exit", () => resolve());
        this.worker.once("message", (msg: { closed?: boolean }) => {
          if (msg.closed) void this.worker.terminate();
        });
        this.worker.postMessage({ close: true });
      });
    })();
    return this.closed;
  }
}

/** Commits on the calling thread (in-memory databases, which a second connection cannot see). */
class InlineWriter extends BatchingWriter {
  private readonly cache = new Map<string, StatementSync>();

  constructor(private readonly db: () => DatabaseSync | null) {
    super();
  }

  protected async commit(batch: WriteStatement[]): Promise<Outcome[]> {
    const db = this.db();
    if (!db) throw new Error("sqlite storage is closed");
    return runBatch(db, this.cache, batch);
  }

  async close(): Promise<void> {
    await this.drain();
    this.cache.clear();
  }
}

class SqliteDriver implements StorageDriver {
  readonly name = "sqlite" as const;
  private db: DatabaseSync | null = null;
  private writer: Writer | null = null;
  private readonly statements = new Map<string, StatementSync>();

  constructor(
    private readonly path: string,
    private readonly synchronous: string,
  ) {}

  private write(sql: string, ...params: Param[]): Promise<number> {
    if (!this.writer) return Promise.reject(new Error("sqlite storage is closed"));
    return this.writer.run({ sql, params });
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
    const memory = this.path === ":memory:";
    if (!memory) mkdirSync(dirname(this.path), { recursive: true });
    const db = new DatabaseSync(this.path);
    db.exec("PRAGMA journal_mode = WAL");
    db.exec(`PRAGMA synchronous = ${this.synchronous}`);
    db.exec("PRAGMA busy_timeout = 5000");
    db.exec(SCHEMA);
    migrate(db);
    this.db = db;
    this.writer = memory ? new InlineWriter(() => this.db) : new ThreadWriter(this.path, this.synchronous);
  }

  async get(kind: RecordKind, key: string, now: number): Promise<StoredRecord | null> {
    // The hot read: kind and key are the caller's own strings, so only the rest comes back.
    const row = this.stmt(GET_LIVE_RECORD).get(kind, key, now) as Row | undefined;
    if (!row) return null;
    return {
      kind,
      key,
      blob: row.blob as Uint8Array,
      version: Number(row.version),
      expiresAt: row.expires_at === null ? null : Number(row.expires_at),
      lastUsed: Number(row.last_used),
      owner: (row.owner as string | null) ?? null,
    };
  }

  async put(record: StoredRecord, options: PutOptions = {}): Promise<boolean> {
    const now = options.now ?? record.lastUsed;
    const { kind, key, blob, version, expiresAt, lastUsed, owner } = record;
    const expect = options.expectVersion;
    if (expect === undefined) {
      await this.write(
        "INSERT OR REPLACE INTO records (kind, key, blob, version, expires_at, last_used, owner) VALUES (?, ?, ?, ?, ?, ?, ?)",
        kind,
        key,
        blob,
        version,
        expiresAt,
        lastUsed,
        owner,
      );
      return true;
    }
    if (expect === 0) {
      const changes = await this.write(
        `INSERT INTO records (kind, key, blob, version, expires_at, last_used, owner) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (kind, key) DO UPDATE SET blob = excluded.blob, version = excluded.version,
           expires_at = excluded.expires_at, last_used = excluded.last_used, owner = excluded.owner
         WHERE records.expires_at IS NOT NULL AND records.expires_at <= ?`,
        kind,
        key,
        blob,
        version,
        expiresAt,
        lastUsed,
        owner,
        now,
      );
      return changes === 1;
    }
    const changes = await this.write(
      `UPDATE records SET blob = ?, version = ?, expires_at = ?, last_used = ?, owner = ?
       WHERE kind = ? AND key = ? AND version = ? AND ${LIVE}`,
      blob,
      version,
      expiresAt,
      lastUsed,
      owner,
      kind,
      key,
      expect,
      now,
    );
    return changes === 1;
  }

  async touch(
    kind: RecordKind,
    key: string,
    expiresAt: number | null,
    lastUsed: number,
    now: number,
  ): Promise<boolean> {
    const changes = await this.write(
      `UPDATE records SET expires_at = ?, last_used = ? WHERE kind = ? AND key = ? AND ${LIVE}`,
      expiresAt,
      lastUsed,
      kind,
      key,
      now,
    );
    return changes === 1;
  }

  async delete(kind: RecordKind, key: string): Promise<boolean> {
    return (await this.write("DELETE FROM records WHERE kind = ? AND key = ?", kind, key)) > 0;
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

  async deleteByOwner(kind: RecordKind, owner: string, keepKeys: readonly string[], now: number): Promise<number> {
    const keep = JSON.stringify(keepKeys);
    const select = "kind = ? AND owner = ? AND key NOT IN (SELECT value FROM json_each(?))";
    const [live] = await Promise.all([
      this.write(`DELETE FROM records WHERE ${select} AND ${LIVE}`, kind, owner, keep, now),
      // Expired ones go too, uncounted: they were already invisible.
      this.write(`DELETE FROM records WHERE ${select}`, kind, owner, keep),
    ]);
    return live;
  }

  async indexPut(name: string, key: string, expiresAt: number | null, now: number): Promise<boolean> {
    const changes = await this.write(
      `INSERT INTO indexes (name, key, expires_at) VALUES (?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET key = excluded.key, expires_at = excluded.expires_at
       WHERE indexes.expires_at IS NOT NULL AND indexes.expires_at <= ?`,
      name,
      key,
      expiresAt,
      now,
    );
    return changes === 1;
  }

  async indexGet(name: string, now: number): Promise<string | null> {
    const row = this.stmt(`SELECT key FROM indexes WHERE name = ? AND ${LIVE}`).get(name, now) as Row | undefined;
    return row ? (row.key as string) : null;
  }

  async indexDelete(name: string): Promise<void> {
    await this.write("DELETE FROM indexes WHERE name = ?", name);
  }

  async sweep(now: number, limit: number): Promise<number> {
    const deleted = await this.write(
      "DELETE FROM records WHERE rowid IN (SELECT rowid FROM records WHERE expires_at IS NOT NULL AND expires_at <= ? LIMIT ?)",
      now,
      limit,
    );
    if (deleted >= limit) return deleted;
    const indexes = await this.write(
      "DELETE FROM indexes WHERE rowid IN (SELECT rowid FROM indexes WHERE expires_at IS NOT NULL AND expires_at <= ? LIMIT ?)",
      now,
      limit - deleted,
    );
    return deleted + indexes;
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
    await this.write(
      "INSERT INTO audit (at, actor, action, target, outcome, tenant, metadata) VALUES (?, ?, ?, ?, ?, ?, ?)",
      event.at,
      event.actor,
      event.action,
      event.target,
      event.outcome,
      event.tenant,
      event.metadata === undefined ? null : JSON.stringify(event.metadata),
    );
  }

  async pruneAudit(before: number): Promise<number> {
    return this.write("DELETE FROM audit WHERE at < ?", before);
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
      ...(typeof row.metadata === "string" ? { metadata: JSON.parse(row.metadata) as Record<string, unknown> } : {}),
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
    await this.write(
      `INSERT INTO keys (id, wrapped, master_id, created_at, state) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET wrapped = excluded.wrapped, master_id = excluded.master_id, state = excluded.state`,
      key.id,
      key.wrapped,
      key.masterId,
      key.createdAt,
      key.state,
    );
  }

  async ping(): Promise<void> {
    this.writer?.check();
    this.stmt("SELECT 1").get();
  }

  async close(): Promise<void> {
    const writer = this.writer;
    this.writer = null;
    await writer?.close();
    this.statements.clear();
    this.db?.close();
    this.db = null;
  }
}

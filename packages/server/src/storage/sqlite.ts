import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type { DatabaseSync, StatementSync } from "node:sqlite";
import { InlineWriter, ThreadWriter, type Writer } from "./sqlite-group-commit.js";
import { applySchema } from "./sqlite-schema.js";
import { openDatabase, type Param, type WriteStatement } from "./sqlite-writer-thread.js";
import {
  type AuditAppend,
  type AuditEvent,
  type DeniedAggregate,
  KEY_STATE_RANK,
  type ListResult,
  type PutOptions,
  type RecordKind,
  type ScanPage,
  SealingKeyNotActiveError,
  type StorageDriver,
  type StoredRecord,
  type WrappedKey,
} from "./types.js";

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

const INSERT_AUDIT =
  "INSERT INTO audit (at, actor, action, target, outcome, tenant, metadata) VALUES (?, ?, ?, ?, ?, ?, ?)";
// Ids only grow, so the newest `max` events hold the ids above max(id) - max.
const TRIM_AUDIT = "DELETE FROM audit WHERE id <= (SELECT max(id) FROM audit) - ?";
// By count, not by id: an upsert that updates may still use up an id.
const TRIM_DENIED =
  "DELETE FROM audit_denied WHERE id IN (SELECT id FROM audit_denied ORDER BY id DESC LIMIT -1 OFFSET ?)";
const UPSERT_DENIED = `INSERT INTO audit_denied (minute, network, reason, count, first_at, last_at) VALUES (?, ?, ?, ?, ?, ?)
  ON CONFLICT (minute, network, reason) DO UPDATE SET count = count + excluded.count,
    first_at = min(first_at, excluded.first_at), last_at = max(last_at, excluded.last_at)`;

/** The statements that store one audit event and keep the log within its cap. */
function auditStatements(event: AuditEvent, maxEvents: number | undefined): WriteStatement[] {
  const insert: WriteStatement = {
    sql: INSERT_AUDIT,
    params: [
      event.at,
      event.actor,
      event.action,
      event.target,
      event.outcome,
      event.tenant,
      event.metadata === undefined ? null : JSON.stringify(event.metadata),
    ],
  };
  return maxEvents === undefined ? [insert] : [insert, { sql: TRIM_AUDIT, params: [maxEvents] }];
}

/** A key state's place in active -> decrypt -> retired, in SQL. */
const STATE_RANK = (column: string) =>
  `(CASE ${column} ${Object.entries(KEY_STATE_RANK)
    .map(([state, rank]) => `WHEN '${state}' THEN ${rank}`)
    .join(" ")} END)`;

/**
 * The condition that keeps a sealed write out once its key is demoted. It runs inside the
 * write's own statement, in the writer's transaction, so a demotion committed by any
 * process is either before the write (seen) or after it (the record is then visible to a
 * re-encryption that starts later).
 */
function sealedWithGuard(keyId: string | undefined): { sql: string; params: Param[] } {
  if (keyId === undefined) return { sql: "1", params: [] };
  return { sql: "EXISTS (SELECT 1 FROM keys WHERE id = ? AND state = 'active')", params: [keyId] };
}

const LIVE = "(expires_at IS NULL OR expires_at > ?)";
const GET_LIVE_RECORD = `SELECT blob, version, expires_at, last_used, owner FROM records WHERE kind = ? AND key = ? AND ${LIVE}`;

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

  /** A write that stores `audit` with it when it changes a row, in one savepoint: both or neither. */
  private writeAudited(audit: AuditAppend | undefined, sql: string, ...params: Param[]): Promise<number> {
    if (!audit) return this.write(sql, ...params);
    if (!this.writer) return Promise.reject(new Error("sqlite storage is closed"));
    return this.writer.run({ sql, params, after: auditStatements(audit.event, audit.maxEvents) });
  }

  private stmt(sql: string): StatementSync {
    let statement = this.statements.get(sql);
    if (!statement) {
      if (!this.db) throw new Error("sqlite storage is closed");
      statement = this.db.prepare(sql);
      // An integer beyond 2^53 (an expiry stored by an earlier, unbounded vault) would make
      // node:sqlite throw on read and the row unreadable; as a bigint it reads, approximately.
      statement.setReadBigInts(true);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  async init(): Promise<void> {
    if (this.db) return;
    const memory = this.path === ":memory:";
    if (!memory) mkdirSync(dirname(this.path), { recursive: true });
    const db = openDatabase(this.path, this.synchronous);
    applySchema(db);
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
    const sealed = sealedWithGuard(options.sealedWith);
    const values: Param[] = [kind, key, blob, version, expiresAt, lastUsed, owner];
    let changes: number;
    if (expect === undefined) {
      changes = await this.writeAudited(
        options.audit,
        `INSERT OR REPLACE INTO records (kind, key, blob, version, expires_at, last_used, owner)
         SELECT ?, ?, ?, ?, ?, ?, ? WHERE ${sealed.sql}`,
        ...values,
        ...sealed.params,
      );
    } else if (expect === 0) {
      changes = await this.writeAudited(
        options.audit,
        `INSERT INTO records (kind, key, blob, version, expires_at, last_used, owner)
         SELECT ?, ?, ?, ?, ?, ?, ? WHERE ${sealed.sql}
         ON CONFLICT (kind, key) DO UPDATE SET blob = excluded.blob, version = excluded.version,
           expires_at = excluded.expires_at, last_used = excluded.last_used, owner = excluded.owner
         WHERE records.expires_at IS NOT NULL AND records.expires_at <= ?`,
        ...values,
        ...sealed.params,
        now,
      );
    } else {
      changes = await this.writeAudited(
        options.audit,
        `UPDATE records SET blob = ?, version = ?, expires_at = ?, last_used = ?, owner = ?
         WHERE kind = ? AND key = ? AND version = ? AND ${LIVE} AND ${sealed.sql}`,
        blob,
        version,
        expiresAt,
        lastUsed,
        owner,
        kind,
        key,
        expect,
        now,
        ...sealed.params,
      );
    }
    if (changes === 1) return true;
    // Key states only move forward, so a key active now was active at the write: a real conflict.
    if (options.sealedWith !== undefined && !this.keyIsActive(options.sealedWith)) {
      throw new SealingKeyNotActiveError(options.sealedWith);
    }
    return false;
  }

  private keyIsActive(id: string): boolean {
    return this.stmt("SELECT 1 FROM keys WHERE id = ? AND state = 'active'").get(id) !== undefined;
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

  async delete(kind: RecordKind, key: string, audit?: AuditAppend): Promise<boolean> {
    return (await this.writeAudited(audit, "DELETE FROM records WHERE kind = ? AND key = ?", kind, key)) > 0;
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

  async deleteByOwner(
    kind: RecordKind,
    owner: string,
    keepKeys: readonly string[],
    now: number,
    audit?: AuditAppend,
  ): Promise<number> {
    const keep = JSON.stringify(keepKeys);
    const select = "kind = ? AND owner = ? AND key NOT IN (SELECT value FROM json_each(?))";
    const [live] = await Promise.all([
      this.writeAudited(audit, `DELETE FROM records WHERE ${select} AND ${LIVE}`, kind, owner, keep, now),
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

  async indexDelete(name: string, onlyKey?: string): Promise<void> {
    if (onlyKey === undefined) await this.write("DELETE FROM indexes WHERE name = ?", name);
    else await this.write("DELETE FROM indexes WHERE name = ? AND key = ?", name, onlyKey);
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

  async appendAudit(event: AuditEvent, maxEvents?: number): Promise<void> {
    const [insert, trim] = auditStatements(event, maxEvents);
    await Promise.all([
      this.write(insert!.sql, ...insert!.params),
      trim ? this.write(trim.sql, ...trim.params) : undefined,
    ]);
  }

  async pruneAudit(before: number): Promise<number> {
    const [events, denied] = await Promise.all([
      this.write("DELETE FROM audit WHERE at < ?", before),
      this.write("DELETE FROM audit_denied WHERE last_at < ?", before),
    ]);
    return events + denied;
  }

  async recordDenied(entries: readonly DeniedAggregate[], maxAggregates: number): Promise<void> {
    await Promise.all([
      ...entries.map((e) => this.write(UPSERT_DENIED, e.minute, e.network, e.reason, e.count, e.firstAt, e.lastAt)),
      this.write(TRIM_DENIED, maxAggregates),
    ]);
  }

  async readDenied(since: number, limit: number): Promise<DeniedAggregate[]> {
    const rows = this.stmt("SELECT * FROM audit_denied WHERE minute >= ? ORDER BY minute, id LIMIT ?").all(
      since,
      limit,
    ) as Row[];
    return rows.map((row) => ({
      minute: Number(row.minute),
      network: row.network as string,
      reason: row.reason as string,
      count: Number(row.count),
      firstAt: Number(row.first_at),
      lastAt: Number(row.last_at),
    }));
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
       ON CONFLICT (id) DO UPDATE SET wrapped = excluded.wrapped, master_id = excluded.master_id,
         state = CASE WHEN ${STATE_RANK("excluded.state")} >= ${STATE_RANK("keys.state")} THEN excluded.state ELSE keys.state END`,
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

import pg from "pg";
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
 * Options for {@link createPostgresDriver}.
 *
 * @example
 * ```ts
 * const options: PostgresDriverOptions = { url: process.env.DATABASE_URL!, maxConnections: 20 };
 * ```
 */
export interface PostgresDriverOptions {
  /** `postgres://user:password@host:port/database`; TLS and other settings via the URL's query. */
  url: string;
  /** Largest number of pooled connections (default 10). */
  maxConnections?: number;
  /** Prefix of every table name, so several vaults can share one schema (default `sv_`). */
  tablePrefix?: string;
  /** How long to wait for a connection from the pool or the server (default 10 000 ms). */
  connectTimeoutMs?: number;
}

type Row = Record<string, unknown>;

/** A key state's place in active -> decrypt -> retired, in SQL. */
const stateRank = (column: string) =>
  `(CASE ${column} ${Object.entries(KEY_STATE_RANK)
    .map(([state, rank]) => `WHEN '${state}' THEN ${rank}`)
    .join(" ")} END)`;

const SCHEMA_VERSION = 2;
// An arbitrary constant: every vault instance migrating the same database serialises on it.
const MIGRATION_LOCK = 0x5e55_10f0;
const TABLE_PREFIX = /^[a-z_][a-z0-9_]{0,30}$/;

const num = (v: unknown): number => (typeof v === "number" ? v : Number(v));
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : num(v));
const bytes = (v: unknown): Uint8Array => (v instanceof Uint8Array ? v : new Uint8Array(0));

function encodeCursor(kind: string, key: string): string {
  return Buffer.from(JSON.stringify([kind, key])).toString("base64url");
}

function decodeCursor(cursor: string): [string, string] {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(parsed) && parsed.length === 2 && parsed.every((p) => typeof p === "string")) {
      return [parsed[0] as string, parsed[1] as string];
    }
  } catch {
    // fall through to the typed error below
  }
  throw new TypeError("invalid scan cursor");
}

/**
 * Storage on PostgreSQL, for several vault instances behind one load balancer.
 *
 * Every statement is parameterised and runs on a pooled connection with
 * `synchronous_commit = on`, so a write has reached the WAL on disk when `put`
 * returns. Compare-and-set happens inside one statement (`INSERT ... ON CONFLICT`
 * or `UPDATE ... WHERE version = $n`), so two instances racing on one record never
 * both win. Expired rows are filtered by every read with the caller's clock, and the
 * sweep deletes them in batches with `SKIP LOCKED` so instances never block each other.
 *
 * @example
 * ```ts
 * const storage = new PostgresDriver({ url: "postgres://vault@db:5432/vault" });
 * await storage.init();
 * ```
 */
export class PostgresDriver implements StorageDriver {
  readonly name = "postgres" as const;
  readonly #pool: pg.Pool;
  readonly #t: { records: string; index: string; audit: string; denied: string; keys: string; meta: string };

  constructor(options: PostgresDriverOptions) {
    const prefix = options.tablePrefix ?? "sv_";
    if (!TABLE_PREFIX.test(prefix)) throw new TypeError("tablePrefix must be a lower-case SQL identifier");
    this.#t = {
      records: `${prefix}records`,
      index: `${prefix}index`,
      audit: `${prefix}audit`,
      denied: `${prefix}audit_denied`,
      keys: `${prefix}keys`,
      meta: `${prefix}meta`,
    };
    this.#pool = new pg.Pool({
      connectionString: options.url,
      max: options.maxConnections ?? 10,
      // An unreachable server must fail requests and readiness, not queue them forever.
      connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
      // A vault that acknowledges a write promises it survives a crash.
      options: "-c synchronous_commit=on",
      application_name: "sessionvault",
    });
    // An idle client that loses its server must not crash the process; the next query reconnects.
    this.#pool.on("error", () => {});
  }

  async init(): Promise<void> {
    const { records, index, audit, keys, meta } = this.#t;
    const client = await this.#pool.connect();
    try {
      await client.query("BEGIN");
      await client.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK]);
      await client.query(`CREATE TABLE IF NOT EXISTS ${meta} (name text PRIMARY KEY, value text NOT NULL)`);
      const current = await client.query(`SELECT value FROM ${meta} WHERE name = 'schema_version'`);
      const version = current.rows[0] ? Number((current.rows[0] as Row).value) : 0;
      if (version > SCHEMA_VERSION) {
        throw new Error(`database schema version ${version} is newer than this vault understands (${SCHEMA_VERSION})`);
      }
      if (version < 1) {
        await client.query(`
          CREATE TABLE IF NOT EXISTS ${records} (
            kind text NOT NULL,
            key text NOT NULL,
            blob bytea NOT NULL,
            version integer NOT NULL,
            expires_at bigint,
            last_used bigint NOT NULL,
            owner text,
            PRIMARY KEY (kind, key)
          )`);
        await client.query(
          `CREATE INDEX IF NOT EXISTS ${records}_owner_idx ON ${records} (kind, owner, last_used DESC, key) WHERE owner IS NOT NULL`,
        );
        await client.query(
          `CREATE INDEX IF NOT EXISTS ${records}_expires_idx ON ${records} (expires_at) WHERE expires_at IS NOT NULL`,
        );
        await client.query(`
          CREATE TABLE IF NOT EXISTS ${index} (
            name text PRIMARY KEY,
            key text NOT NULL,
            expires_at bigint
          )`);
        await client.query(
          `CREATE INDEX IF NOT EXISTS ${index}_expires_idx ON ${index} (expires_at) WHERE expires_at IS NOT NULL`,
        );
        await client.query(`
          CREATE TABLE IF NOT EXISTS ${audit} (
            id bigserial PRIMARY KEY,
            at bigint NOT NULL,
            actor text NOT NULL,
            action text NOT NULL,
            target text,
            outcome text NOT NULL,
            tenant text
          )`);
        await client.query(`CREATE INDEX IF NOT EXISTS ${audit}_at_idx ON ${audit} (at)`);
        await client.query(`
          CREATE TABLE IF NOT EXISTS ${keys} (
            id text PRIMARY KEY,
            wrapped bytea NOT NULL,
            master_id text NOT NULL,
            created_at bigint NOT NULL,
            state text NOT NULL
          )`);
        await client.query(
          `INSERT INTO ${meta} (name, value) VALUES ('schema_version', $1)
           ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value`,
          [String(SCHEMA_VERSION)],
        );
      }
      if (version < 2) {
        // Additive only: a vault of schema 1 that is still running keeps working on it.
        await client.query(`ALTER TABLE ${audit} ADD COLUMN IF NOT EXISTS metadata jsonb`);
        await client.query(`CREATE INDEX IF NOT EXISTS ${index}_key_idx ON ${index} (key)`);
        await client.query(
          `INSERT INTO ${meta} (name, value) VALUES ('schema_version', $1)
           ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value`,
          [String(SCHEMA_VERSION)],
        );
      }
      await this.#createDeniedTable(client);
      await client.query("COMMIT");
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  /** Refused requests counted per minute, network and reason. Additive and idempotent. */
  async #createDeniedTable(client: pg.PoolClient): Promise<void> {
    const { denied } = this.#t;
    await client.query(`
      CREATE TABLE IF NOT EXISTS ${denied} (
        id bigserial PRIMARY KEY,
        minute bigint NOT NULL,
        network text NOT NULL,
        reason text NOT NULL,
        count bigint NOT NULL,
        first_at bigint NOT NULL,
        last_at bigint NOT NULL,
        UNIQUE (minute, network, reason)
      )`);
  }

  /**
   * A plain write (INSERT or UPDATE) that changes at most one row; with `audit`, one
   * statement that also stores the event when the write changed its row, so both commit
   * or neither does. Returns the number of rows written.
   */
  async #writeAudited(audit: AuditAppend | undefined, sql: string, values: unknown[]): Promise<number> {
    if (!audit) return (await this.#pool.query(sql, values)).rowCount ?? 0;
    const r = await this.#pool.query(
      `WITH w AS (${sql} RETURNING 1), ${this.#auditArms("EXISTS (SELECT 1 FROM w)", values.length + 1)}
       SELECT count(*)::int AS n FROM w`,
      [...values, ...auditValues(audit)],
    );
    return num((r.rows[0] as Row).n);
  }

  /**
   * CTE arms that store an audit event when `applied` (an SQL condition) holds and drop
   * the events beyond the newest `maxEvents`; their parameters start at `$first`, in the
   * order of {@link auditValues}. Ids only grow, so the newest events hold the ids above
   * the new one's minus `maxEvents`.
   */
  #auditArms(applied: string, first: number): string {
    const a = this.#t.audit;
    const p = (i: number) => `$${first + i}`;
    return `audit_in AS (
        INSERT INTO ${a} (at, actor, action, target, outcome, tenant, metadata)
        SELECT ${p(0)}::bigint, ${p(1)}::text, ${p(2)}::text, ${p(3)}::text, ${p(4)}::text, ${p(5)}::text, ${p(6)}::jsonb
        WHERE ${applied} RETURNING id),
      audit_trim AS (DELETE FROM ${a} WHERE id <= (SELECT id FROM audit_in) - ${p(7)}::bigint)`;
  }

  /** Stores one event and, with `maxEvents`, drops the events beyond the newest `maxEvents`. */
  async #insertAudit(db: pg.Pool | pg.PoolClient, event: AuditEvent, maxEvents: number | undefined): Promise<void> {
    const { audit } = this.#t;
    const values = eventValues(event);
    const insert = `INSERT INTO ${audit} (at, actor, action, target, outcome, tenant, metadata)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`;
    if (maxEvents === undefined) {
      await db.query(insert, values);
      return;
    }
    // Ids only grow: the newest maxEvents events hold the ids above the new one's minus maxEvents.
    await db.query(`WITH ins AS (${insert} RETURNING id) DELETE FROM ${audit} WHERE id <= (SELECT id FROM ins) - $8`, [
      ...values,
      maxEvents,
    ]);
  }

  async get(kind: RecordKind, key: string, now: number): Promise<StoredRecord | null> {
    const r = await this.#pool.query(
      `SELECT kind, key, blob, version, expires_at, last_used, owner FROM ${this.#t.records}
       WHERE kind = $1 AND key = $2 AND (expires_at IS NULL OR expires_at > $3)`,
      [kind, key, now],
    );
    const row = r.rows[0] as Row | undefined;
    return row ? toRecord(row) : null;
  }

  async put(record: StoredRecord, options: PutOptions = {}): Promise<boolean> {
    const t = this.#t.records;
    const now = options.now ?? record.lastUsed;
    const values: unknown[] = [
      record.kind,
      record.key,
      record.blob,
      record.version,
      record.expiresAt,
      record.lastUsed,
      record.owner,
    ];
    const sealed = this.#sealedWithGuard(options.sealedWith, values);
    const insert = `${sealed.with} INSERT INTO ${t} (kind, key, blob, version, expires_at, last_used, owner)
      SELECT $1::text, $2::text, $3::bytea, $4::integer, $5::bigint, $6::bigint, $7::text WHERE ${sealed.condition}
      ON CONFLICT (kind, key) DO UPDATE SET blob = EXCLUDED.blob, version = EXCLUDED.version,
        expires_at = EXCLUDED.expires_at, last_used = EXCLUDED.last_used, owner = EXCLUDED.owner`;
    const expect = options.expectVersion;
    const audit = options.audit;
    let written: number;
    if (expect === undefined) {
      written = await this.#writeAudited(audit, insert, values);
    } else if (expect === 0) {
      // Only a missing or expired row may be replaced: the conflict arm is guarded by its expiry.
      written = await this.#writeAudited(
        audit,
        `${insert} WHERE ${t}.expires_at IS NOT NULL AND ${t}.expires_at <= $${values.length + 1}`,
        [...values, now],
      );
    } else {
      written = await this.#writeAudited(
        audit,
        `${sealed.with} UPDATE ${t} SET blob = $3, version = $4, expires_at = $5, last_used = $6, owner = $7
         WHERE kind = $1 AND key = $2 AND version = $${values.length + 1}
           AND (expires_at IS NULL OR expires_at > $${values.length + 2}) AND ${sealed.condition}`,
        [...values, expect, now],
      );
    }
    if (written === 1) return true;
    // Key states only move forward, so a key active now was active at the write: a real conflict.
    if (options.sealedWith !== undefined && !(await this.#keyIsActive(options.sealedWith))) {
      throw new SealingKeyNotActiveError(options.sealedWith);
    }
    return false;
  }

  /**
   * The condition that keeps a sealed write out once its key is demoted: the write takes a
   * share lock on the key's row in its own statement, and a demotion (an update of that
   * row) waits for in-flight writes and is seen by every later one. Appends the key id
   * to `values` when there is one.
   */
  #sealedWithGuard(keyId: string | undefined, values: unknown[]): { with: string; condition: string } {
    if (keyId === undefined) return { with: "", condition: "true" };
    values.push(keyId);
    return {
      with: `WITH sealing_key AS (SELECT 1 FROM ${this.#t.keys} WHERE id = $${values.length} AND state = 'active' FOR SHARE)`,
      condition: "EXISTS (SELECT 1 FROM sealing_key)",
    };
  }

  async #keyIsActive(id: string): Promise<boolean> {
    const r = await this.#pool.query(`SELECT 1 FROM ${this.#t.keys} WHERE id = $1 AND state = 'active'`, [id]);
    return (r.rowCount ?? 0) > 0;
  }

  async touch(
    kind: RecordKind,
    key: string,
    expiresAt: number | null,
    lastUsed: number,
    now: number,
  ): Promise<boolean> {
    const r = await this.#pool.query(
      `UPDATE ${this.#t.records} SET expires_at = $3, last_used = $4
       WHERE kind = $1 AND key = $2 AND (expires_at IS NULL OR expires_at > $5)`,
      [kind, key, expiresAt, lastUsed, now],
    );
    return r.rowCount === 1;
  }

  async delete(kind: RecordKind, key: string, audit?: AuditAppend): Promise<boolean> {
    const r = await this.#pool.query(
      `WITH gone AS (DELETE FROM ${this.#t.records} WHERE kind = $1 AND key = $2 RETURNING kind, key),
       ${this.#dropNames("gone")}${audit ? `, ${this.#auditArms("EXISTS (SELECT 1 FROM gone)", 3)}` : ""}
       SELECT count(*)::int AS n FROM gone`,
      [kind, key, ...auditValues(audit)],
    );
    return num((r.rows[0] as Row).n) > 0;
  }

  /** A CTE arm that deletes the index entries of the users and tokens in `gone`. */
  #dropNames(gone: string): string {
    return `names AS (DELETE FROM ${this.#t.index} WHERE key IN (SELECT key FROM ${gone} WHERE kind <> 'session'))`;
  }

  async listByOwner(kind: RecordKind, owner: string, now: number, offset: number, limit: number): Promise<ListResult> {
    const t = this.#t.records;
    // One statement, so the page and the total come from the same snapshot.
    const r = await this.#pool.query(
      `SELECT c.total, p.kind, p.key, p.blob, p.version, p.expires_at, p.last_used, p.owner
       FROM (SELECT count(*) AS total FROM ${t}
             WHERE kind = $1 AND owner = $2 AND (expires_at IS NULL OR expires_at > $3)) c
       LEFT JOIN LATERAL (
         SELECT kind, key, blob, version, expires_at, last_used, owner FROM ${t}
         WHERE kind = $1 AND owner = $2 AND (expires_at IS NULL OR expires_at > $3)
         ORDER BY last_used DESC, key
         OFFSET $4 LIMIT $5
       ) p ON true`,
      [kind, owner, now, Math.max(0, offset), Math.max(0, limit)],
    );
    const rows = r.rows as Row[];
    const total = rows[0] ? num(rows[0].total) : 0;
    return { total, records: rows.filter((row) => row.key !== null).map(toRecord) };
  }

  async deleteByOwner(
    kind: RecordKind,
    owner: string,
    keepKeys: readonly string[],
    now: number,
    audit?: AuditAppend,
  ): Promise<number> {
    // Expired records go too, but only the live ones count (and only they are audited).
    const live = "expires_at IS NULL OR expires_at > $4";
    const r = await this.#pool.query(
      `WITH gone AS (
         DELETE FROM ${this.#t.records} WHERE kind = $1 AND owner = $2 AND NOT (key = ANY($3::text[]))
         RETURNING kind, key, expires_at),
       ${this.#dropNames("gone")}${audit ? `, ${this.#auditArms(`EXISTS (SELECT 1 FROM gone WHERE ${live})`, 5)}` : ""}
       SELECT count(*) FILTER (WHERE ${live})::int AS n FROM gone`,
      [kind, owner, [...keepKeys], now, ...auditValues(audit)],
    );
    return num((r.rows[0] as Row).n);
  }

  async indexPut(name: string, key: string, expiresAt: number | null, now: number): Promise<boolean> {
    const t = this.#t.index;
    const r = await this.#pool.query(
      `INSERT INTO ${t} (name, key, expires_at) VALUES ($1, $2, $3)
       ON CONFLICT (name) DO UPDATE SET key = EXCLUDED.key, expires_at = EXCLUDED.expires_at
       WHERE ${t}.expires_at IS NOT NULL AND ${t}.expires_at <= $4`,
      [name, key, expiresAt, now],
    );
    return r.rowCount === 1;
  }

  async indexGet(name: string, now: number): Promise<string | null> {
    const r = await this.#pool.query(
      `SELECT key FROM ${this.#t.index} WHERE name = $1 AND (expires_at IS NULL OR expires_at > $2)`,
      [name, now],
    );
    const row = r.rows[0] as Row | undefined;
    return row ? String(row.key) : null;
  }

  async indexDelete(name: string, onlyKey?: string): Promise<void> {
    if (onlyKey === undefined) await this.#pool.query(`DELETE FROM ${this.#t.index} WHERE name = $1`, [name]);
    else await this.#pool.query(`DELETE FROM ${this.#t.index} WHERE name = $1 AND key = $2`, [name, onlyKey]);
  }

  async sweep(now: number, limit: number): Promise<number> {
    const { records, index } = this.#t;
    const gone = await this.#pool.query(
      `WITH gone AS (
         DELETE FROM ${records} WHERE (kind, key) IN (
           SELECT kind, key FROM ${records} WHERE expires_at <= $1 LIMIT $2 FOR UPDATE SKIP LOCKED)
         RETURNING kind, key),
       ${this.#dropNames("gone")}
       SELECT count(*)::int AS n FROM gone`,
      [now, limit],
    );
    const deleted = num((gone.rows[0] as Row).n);
    if (deleted >= limit) return deleted;
    const names = await this.#pool.query(
      `DELETE FROM ${index} WHERE name IN (
         SELECT name FROM ${index} WHERE expires_at <= $1 LIMIT $2 FOR UPDATE SKIP LOCKED)`,
      [now, limit - deleted],
    );
    return deleted + (names.rowCount ?? 0);
  }

  async scan(cursor: string | null, limit: number): Promise<ScanPage> {
    const t = this.#t.records;
    const after = cursor === null ? null : decodeCursor(cursor);
    const r = after
      ? await this.#pool.query(
          `SELECT kind, key, blob, version, expires_at, last_used, owner FROM ${t}
           WHERE (kind, key) > ($1, $2) ORDER BY kind, key LIMIT $3`,
          [after[0], after[1], limit],
        )
      : await this.#pool.query(
          `SELECT kind, key, blob, version, expires_at, last_used, owner FROM ${t} ORDER BY kind, key LIMIT $1`,
          [limit],
        );
    const records = (r.rows as Row[]).map(toRecord);
    const last = records.at(-1);
    return { records, next: last && records.length === limit ? encodeCursor(last.kind, last.key) : null };
  }

  async appendAudit(event: AuditEvent, maxEvents?: number): Promise<void> {
    await this.#insertAudit(this.#pool, event, maxEvents);
  }

  async pruneAudit(before: number): Promise<number> {
    const [events, denied] = await Promise.all([
      this.#pool.query(`DELETE FROM ${this.#t.audit} WHERE at < $1`, [before]),
      this.#pool.query(`DELETE FROM ${this.#t.denied} WHERE last_at < $1`, [before]),
    ]);
    return (events.rowCount ?? 0) + (denied.rowCount ?? 0);
  }

  async recordDenied(entries: readonly DeniedAggregate[], maxAggregates: number): Promise<void> {
    const t = this.#t.denied;
    if (entries.length > 0) {
      await this.#pool.query(
        `INSERT INTO ${t} (minute, network, reason, count, first_at, last_at)
         SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::bigint[], $5::bigint[], $6::bigint[])
         ON CONFLICT (minute, network, reason) DO UPDATE SET count = ${t}.count + EXCLUDED.count,
           first_at = LEAST(${t}.first_at, EXCLUDED.first_at), last_at = GREATEST(${t}.last_at, EXCLUDED.last_at)`,
        [
          entries.map((e) => e.minute),
          entries.map((e) => e.network),
          entries.map((e) => e.reason),
          entries.map((e) => e.count),
          entries.map((e) => e.firstAt),
          entries.map((e) => e.lastAt),
        ],
      );
    }
    // By count, not by id: an upsert that updates still uses up a sequence value.
    await this.#pool.query(`DELETE FROM ${t} WHERE id IN (SELECT id FROM ${t} ORDER BY id DESC OFFSET $1)`, [
      maxAggregates,
    ]);
  }

  async readDenied(since: number, limit: number): Promise<DeniedAggregate[]> {
    const r = await this.#pool.query(
      `SELECT minute, network, reason, count, first_at, last_at FROM ${this.#t.denied}
       WHERE minute >= $1 ORDER BY minute, id LIMIT $2`,
      [since, limit],
    );
    return (r.rows as Row[]).map((row) => ({
      minute: num(row.minute),
      network: String(row.network),
      reason: String(row.reason),
      count: num(row.count),
      firstAt: num(row.first_at),
      lastAt: num(row.last_at),
    }));
  }

  async readAudit(since: number, limit: number): Promise<AuditEvent[]> {
    const r = await this.#pool.query(
      `SELECT at, actor, action, target, outcome, tenant, metadata FROM ${this.#t.audit}
       WHERE at >= $1 ORDER BY at, id LIMIT $2`,
      [since, limit],
    );
    return (r.rows as Row[]).map((row) => ({
      at: num(row.at),
      actor: String(row.actor),
      action: String(row.action),
      target: row.target === null ? null : String(row.target),
      outcome: String(row.outcome),
      tenant: row.tenant === null ? null : String(row.tenant),
      ...(row.metadata === null || row.metadata === undefined
        ? {}
        : { metadata: row.metadata as Record<string, unknown> }),
    }));
  }

  async loadKeys(): Promise<WrappedKey[]> {
    const r = await this.#pool.query(
      `SELECT id, wrapped, master_id, created_at, state FROM ${this.#t.keys} ORDER BY created_at, id`,
    );
    return (r.rows as Row[]).map((row) => ({
      id: String(row.id),
      wrapped: bytes(row.wrapped),
      masterId: String(row.master_id),
      createdAt: num(row.created_at),
      state: row.state as WrappedKey["state"],
    }));
  }

  async saveKey(key: WrappedKey): Promise<void> {
    await this.#pool.query(
      `INSERT INTO ${this.#t.keys} (id, wrapped, master_id, created_at, state) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (id) DO UPDATE SET wrapped = EXCLUDED.wrapped, master_id = EXCLUDED.master_id,
         created_at = EXCLUDED.created_at,
         state = CASE WHEN ${stateRank("EXCLUDED.state")} >= ${stateRank(`${this.#t.keys}.state`)}
           THEN EXCLUDED.state ELSE ${this.#t.keys}.state END`,
      [key.id, key.wrapped, key.masterId, key.createdAt, key.state],
    );
  }

  async ping(): Promise<void> {
    await this.#pool.query("SELECT 1");
  }

  async close(): Promise<void> {
    await this.#pool.end();
  }
}

/** An event's columns, in the order of the audit table's INSERTs. */
function eventValues(event: AuditEvent): unknown[] {
  const metadata = event.metadata === undefined ? null : JSON.stringify(event.metadata);
  return [event.at, event.actor, event.action, event.target, event.outcome, event.tenant, metadata];
}

/** The parameters of {@link PostgresDriver}'s audit arms, or none without an event. */
function auditValues(audit: AuditAppend | undefined): unknown[] {
  return audit ? [...eventValues(audit.event), audit.maxEvents] : [];
}

function toRecord(row: Row): StoredRecord {
  return {
    kind: row.kind as RecordKind,
    key: String(row.key),
    blob: bytes(row.blob),
    version: num(row.version),
    expiresAt: numOrNull(row.expires_at),
    lastUsed: num(row.last_used),
    owner: row.owner === null ? null : String(row.owner),
  };
}

/**
 * Create the PostgreSQL driver. Call `init()` once before use; it creates or migrates
 * the tables and is safe to run from several instances at the same time.
 *
 * @example
 * ```ts
 * const storage = createPostgresDriver({ url: "postgres://vault@db:5432/vault" });
 * await storage.init();
 * ```
 */
export function createPostgresDriver(options: PostgresDriverOptions): PostgresDriver {
  return new PostgresDriver(options);
}

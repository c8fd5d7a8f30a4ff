/**
 * The one small interface every storage driver implements (sqlite, postgres, redis).
 *
 * Drivers never see plaintext: ids arrive as keyed hashes, record bodies as sealed
 * envelopes (AES-256-GCM ciphertext with its key id and nonce), and the owner link as
 * a keyed hash of the user's token. Tenants are folded into every hash by the crypto
 * layer, so a driver needs no tenant column to keep tenants apart.
 *
 * Times are unix milliseconds. A record whose `expiresAt` is at or before `now` is
 * expired: every read method must treat it as missing at once, whether or not the
 * background sweep has removed it yet.
 */

export type RecordKind = "session" | "user" | "token";

export interface StoredRecord {
  kind: RecordKind;
  /** Keyed hash of the record's id (base64url), tenant-scoped. Primary key with `kind`. */
  key: string;
  /** The sealed envelope. Opaque to the driver. */
  blob: Uint8Array;
  /** Grows by one on every write; starts at 1. */
  version: number;
  /** When the record becomes invisible unless used again; null = never. */
  expiresAt: number | null;
  /** Last read or write, for most-recently-used ordering. */
  lastUsed: number;
  /** Keyed hash of the linked user's token (sessions), or null. */
  owner: string | null;
}

export interface PutOptions {
  /**
   * Compare-and-set. Undefined: write unconditionally. 0: only if no live record exists
   * (an expired one counts as absent). n > 0: only if the live stored version is n.
   */
  expectVersion?: number;
  /**
   * The clock reading that decides whether a stored record is still live for the
   * compare-and-set. Defaults to `record.lastUsed` (a write happens when it is used).
   */
  now?: number;
  /**
   * The operation's audit event, stored in the same transaction (script) as the write
   * and only when the write is applied: both are stored or neither is.
   */
  audit?: AuditAppend;
  /**
   * Id of the data key the blob is sealed under. When given, the write happens only while
   * that key is `active` in storage, checked atomically with the write itself (a demotion
   * either waits for the write or is seen by it); otherwise `put` throws
   * {@link SealingKeyNotActiveError} and stores nothing.
   */
  sealedWith?: string;
}

/** An audit event to store with a write, and the cap of the audit log it goes into. */
export interface AuditAppend {
  event: AuditEvent;
  /** Events kept at most; the oldest beyond go in the same step. */
  maxEvents: number;
}

/**
 * Refused requests (no or a wrong access token) of one client network in one minute,
 * for one reason: one counted row instead of an event each.
 */
export interface DeniedAggregate {
  /** Unix ms of the minute's start. */
  minute: number;
  /** The client's network (`198.51.100.0/24`, `2001:db8:1:2::/64`) or `unknown`. */
  network: string;
  /** Why it was refused, e.g. `missing_token`, `invalid_token`. */
  reason: string;
  count: number;
  /** First and last refusal seen in the minute, unix ms. */
  firstAt: number;
  lastAt: number;
}

/** A put refused because the data key its blob is sealed under is no longer active. */
export class SealingKeyNotActiveError extends Error {
  override readonly name = "SealingKeyNotActiveError";
  constructor(readonly keyId: string) {
    super("the data key this record is sealed under is no longer active");
  }
}

/** Key states only move forward: a save never moves a key back to an earlier state. */
export const KEY_STATE_RANK: Record<WrappedKey["state"], number> = { active: 0, decrypt: 1, retired: 2 };

export interface ListResult {
  /** Live records, most recently used first, after offset/limit. */
  records: StoredRecord[];
  /** Live records in all for that owner. */
  total: number;
}

export interface AuditEvent {
  /** Unix ms. */
  at: number;
  /** Id of the access token used (its configured name), never the token itself. */
  actor: string;
  /** Operation name, e.g. "SessionGet". */
  action: string;
  /** Salted hash of the record touched, or null. */
  target: string | null;
  /** "ok" or an error class such as "not_found". */
  outcome: string;
  /** Tenant name hash, or null. */
  tenant: string | null;
  /**
   * The caller's `request_metadata`, already scrubbed by the vault (bounded, no values
   * that look like PII, no secrets). Absent when the request carried none.
   */
  metadata?: Record<string, unknown>;
}

export interface WrappedKey {
  /** Short key id stored in every envelope (e.g. "k1"). */
  id: string;
  /** The data key wrapped (AES-256-GCM) by a master key. */
  wrapped: Uint8Array;
  /** Which master key wrapped it. */
  masterId: string;
  createdAt: number;
  /**
   * "active" (used for new writes), "decrypt" (old, still readable), "retired". States only
   * move forward; `saveKey` keeps the later of the stored and the given state.
   */
  state: "active" | "decrypt" | "retired";
}

export interface ScanPage {
  records: StoredRecord[];
  /** Opaque cursor for the next page, or null at the end. */
  next: string | null;
}

export interface StorageDriver {
  readonly name: "sqlite" | "postgres" | "redis";
  /** Create tables/indexes if needed. Idempotent. */
  init(): Promise<void>;
  /** Live record or null (missing or expired). */
  get(kind: RecordKind, key: string, now: number): Promise<StoredRecord | null>;
  /**
   * Insert or replace. Returns false when `expectVersion` did not match; throws
   * {@link SealingKeyNotActiveError} when `sealedWith` names a key that is not active.
   * Durable on return.
   */
  put(record: StoredRecord, options?: PutOptions): Promise<boolean>;
  /** Move expiry and lastUsed forward without rewriting the blob. False when missing/expired. */
  touch(kind: RecordKind, key: string, expiresAt: number | null, lastUsed: number, now: number): Promise<boolean>;
  /**
   * True when something was deleted. Index entries that point at a deleted user or
   * token go with it.
   */
  delete(kind: RecordKind, key: string, audit?: AuditAppend): Promise<boolean>;
  /** Live records of one owner, most recently used first. */
  listByOwner(kind: RecordKind, owner: string, now: number, offset: number, limit: number): Promise<ListResult>;
  /**
   * Delete every record of one owner except `keepKeys`; returns how many of the deleted
   * were live at `now` (expired ones go too, uncounted).
   */
  deleteByOwner(
    kind: RecordKind,
    owner: string,
    keepKeys: readonly string[],
    now: number,
    audit?: AuditAppend,
  ): Promise<number>;

  /**
   * Unique secondary index (user identities, unique token values): name -> record key.
   * `indexPut` returns false when the name is already taken by a live entry.
   */
  indexPut(name: string, key: string, expiresAt: number | null, now: number): Promise<boolean>;
  indexGet(name: string, now: number): Promise<string | null>;
  /**
   * Removes an index entry; with `onlyKey`, only while it still points at that key (so
   * releasing or taking over a name never removes a claim someone else just made).
   */
  indexDelete(name: string, onlyKey?: string): Promise<void>;

  /**
   * Remove expired records and index entries, at most `limit`; returns how many. Index
   * entries that point at a user or token removed here go too (uncounted), so names
   * claimed without an expiry (a sliding-only record) do not outlive their record.
   */
  sweep(now: number, limit: number): Promise<number>;
  /** Every record, for re-encryption after a key rotation. */
  scan(cursor: string | null, limit: number): Promise<ScanPage>;

  /** Stores one event; with `maxEvents`, the oldest events beyond it go in the same step. */
  appendAudit(event: AuditEvent, maxEvents?: number): Promise<void>;
  /** Delete audit events and denied aggregates older than `before`; returns how many. */
  pruneAudit(before: number): Promise<number>;
  readAudit(since: number, limit: number): Promise<AuditEvent[]>;
  /**
   * Adds counts to the denied aggregates (same minute, network and reason: one row, counts
   * summed, first/last widened); beyond `maxAggregates` rows, the oldest go.
   */
  recordDenied(entries: readonly DeniedAggregate[], maxAggregates: number): Promise<void>;
  /** Denied aggregates whose minute is at or after `since`, oldest first. */
  readDenied(since: number, limit: number): Promise<DeniedAggregate[]>;

  loadKeys(): Promise<WrappedKey[]>;
  /** Insert or re-wrap a key; its state never moves backwards (see {@link KEY_STATE_RANK}). */
  saveKey(key: WrappedKey): Promise<void>;

  /** Throws when storage is unreachable (readiness). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

import type { DatabaseSync } from "node:sqlite";

type Row = Record<string, unknown>;

/** The tables of a vault file: records, unique index names, audit events and denied counts, wrapped keys. */
export const SCHEMA = `
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
-- Refused requests, counted per minute, client network and reason (bounded like audit).
CREATE TABLE IF NOT EXISTS audit_denied (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  minute INTEGER NOT NULL,
  network TEXT NOT NULL,
  reason TEXT NOT NULL,
  count INTEGER NOT NULL,
  first_at INTEGER NOT NULL,
  last_at INTEGER NOT NULL,
  UNIQUE (minute, network, reason)
);
CREATE TABLE IF NOT EXISTS keys (
  id TEXT PRIMARY KEY,
  wrapped BLOB NOT NULL,
  master_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  state TEXT NOT NULL
);
`;

/** Creates the tables of a new file, and brings one written by an older vault up to date. */
export function applySchema(db: DatabaseSync): void {
  db.exec(SCHEMA);
  migrate(db);
}

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

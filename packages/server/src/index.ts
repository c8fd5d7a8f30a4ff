export type { AuditConfig } from "./core/audit.js";
export type { ReencryptResult } from "./crypto/reencrypt.js";
export type { AccessToken } from "./http/auth.js";
export { createStorage, type StorageConfig } from "./storage/index.js";
export { createSqliteDriver, type Durability, type SqliteDriverOptions } from "./storage/sqlite.js";
export type {
  AuditAppend,
  AuditEvent,
  DeniedAggregate,
  ListResult,
  PutOptions,
  RecordKind,
  ScanPage,
  StorageDriver,
  StoredRecord,
  WrappedKey,
} from "./storage/types.js";
export { SealingKeyNotActiveError } from "./storage/types.js";
export { createVault, type Vault, type VaultConfig } from "./vault.js";

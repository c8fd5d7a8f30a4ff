import type { StorageDriver } from "../storage/types.js";
import type { ReadModifyWrite } from "./read-modify-write.js";
import type { RecordKeys } from "./record-keys.js";
import type { SealedRecords } from "./sealed-records.js";

/** What the session, user and token operations share. */
export interface CoreDeps {
  driver: StorageDriver;
  keys: RecordKeys;
  sealed: SealedRecords;
  writes: ReadModifyWrite;
  now: () => number;
  /** Reads move `lastUsed`/expiry only when at least this much time has passed. */
  touchGranularityMs: number;
  /** Told about a record that failed its integrity check and was skipped (never its contents). */
  onUnreadable: (kind: string) => void;
}

import type { Keyring } from "../crypto/keyring.js";
import type { StorageDriver } from "../storage/types.js";
import type { CoreDeps } from "./deps.js";
import { Identities } from "./identity.js";
import { ReadModifyWrite } from "./read-modify-write.js";
import { RecordKeys } from "./record-keys.js";
import { SealedRecords } from "./sealed-records.js";
import { Sessions } from "./sessions.js";
import { Tokens } from "./tokens.js";
import { Users } from "./users.js";

export interface ServiceOptions {
  now: () => number;
  /** Reads move `lastUsed`/expiry only when at least this much time has passed. */
  touchGranularityMs: number;
  /** Told about each unreadable record a listing skipped. */
  onUnreadable?: (kind: string) => void;
}

/**
 * The operations of the contract over a storage driver and a keyring, by domain.
 * Plain objects in, plain objects out, domain errors out; HTTP lives elsewhere.
 */
export class VaultService {
  readonly keys: RecordKeys;
  readonly sessions: Sessions;
  readonly users: Users;
  readonly tokens: Tokens;
  readonly now: () => number;

  constructor(driver: StorageDriver, keyring: Keyring, options: ServiceOptions) {
    this.now = options.now;
    this.keys = new RecordKeys(keyring);
    const deps: CoreDeps = {
      driver,
      keys: this.keys,
      sealed: new SealedRecords(keyring, this.keys),
      writes: new ReadModifyWrite(),
      now: options.now,
      touchGranularityMs: options.touchGranularityMs,
      onUnreadable: options.onUnreadable ?? (() => {}),
    };
    const identities = new Identities(deps);
    this.sessions = new Sessions(deps, identities);
    this.users = new Users(deps, identities);
    this.tokens = new Tokens(deps);
  }
}

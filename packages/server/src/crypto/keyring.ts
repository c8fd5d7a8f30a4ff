import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  createSecretKey,
  hkdfSync,
  type KeyObject,
  randomBytes,
} from "node:crypto";
import type { RecordKind, StorageDriver, WrappedKey } from "../storage/types.js";

/** A record's ciphertext failed authentication, or names a key the vault does not hold. */
export class IntegrityError extends Error {
  override readonly name = "IntegrityError";
  constructor() {
    super("record integrity check failed");
  }
}

/** A 256-bit master key and the short id stored beside every data key it wraps. */
export interface MasterKey {
  id: string;
  key: Buffer;
}

const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const ENVELOPE_VERSION = 1;
const INDEX_KEY_POINTER = "sv:index-key";
const INDEX_KEY_PREFIX = "idx-";
/** NIST SP 800-38D caps random 96-bit nonces at 2^32 uses per key; we stop at half of that. */
export const DEFAULT_MAX_ENCRYPTIONS_PER_KEY = 2 ** 31;

/**
 * Parses a base64 master key; throws unless it decodes to exactly 32 bytes.
 * Several keys may be given comma-separated: the first wraps new data keys, the others
 * only unwrap (master key rotation).
 */
export function parseMasterKeys(text: string): MasterKey[] {
  const parts = text
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
  if (parts.length === 0) throw new Error("master key is empty");
  return parts.map((part) => {
    const key = Buffer.from(part, "base64");
    if (key.length !== 32 || key.toString("base64").replace(/=+$/, "") !== part.replace(/=+$/, "")) {
      throw new Error("master key must be 32 bytes of base64");
    }
    return { id: masterKeyId(key), key };
  });
}

/** A stable, non-reversible id for a master key. */
export function masterKeyId(key: Buffer): string {
  return createHash("sha256").update("sessionvault/master-id\0").update(key).digest("base64url").slice(0, 12);
}

function wrapAad(keyId: string): Buffer {
  return Buffer.from(`sessionvault/wrap/v1\0${keyId}`);
}

function wrapKey(master: MasterKey, keyId: string, dataKey: Buffer): Uint8Array {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv("aes-256-gcm", master.key, nonce);
  cipher.setAAD(wrapAad(keyId));
  const body = Buffer.concat([cipher.update(dataKey), cipher.final()]);
  return Buffer.concat([nonce, body, cipher.getAuthTag()]);
}

function unwrapKey(master: MasterKey, keyId: string, wrapped: Uint8Array): Buffer {
  const buf = Buffer.from(wrapped);
  const nonce = buf.subarray(0, NONCE_BYTES);
  const tag = buf.subarray(buf.length - TAG_BYTES);
  const decipher = createDecipheriv("aes-256-gcm", master.key, nonce);
  decipher.setAAD(wrapAad(keyId));
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(buf.subarray(NONCE_BYTES, buf.length - TAG_BYTES)), decipher.final()]);
}

interface DataKey {
  id: string;
  /** Raw bytes, kept only to re-wrap the key. */
  raw: Buffer;
  /** Prepared once: building a key object per call costs more than the cipher itself. */
  key: KeyObject;
  state: WrappedKey["state"];
  createdAt: number;
}

export interface KeyringOptions {
  masters: MasterKey[];
  now: () => number;
  maxEncryptionsPerKey: number;
  /** Minimum pause between storage reloads caused by an unknown key id. */
  reloadIntervalMs?: number;
}

/**
 * Data keys, the index (HMAC) key and the envelope format.
 *
 * Every vault process encrypts under a data key of its own that no other process ever
 * uses, so counting encryptions in memory is exact: after `maxEncryptionsPerKey` seals
 * (2^31 by default, half the AES-GCM random-nonce bound) the process wraps a fresh key,
 * stores it, and demotes the old one to decrypt-only before sealing again. A crash
 * abandons the key together with its count; a restart always starts a new key.
 */
export class Keyring {
  private readonly masters: MasterKey[];
  private readonly now: () => number;
  private readonly maxEncryptions: number;
  private readonly reloadIntervalMs: number;
  private readonly keys = new Map<string, DataKey>();
  private current: DataKey | null = null;
  private used = 0;
  private rotating: Promise<void> | null = null;
  private readonly misses = new Map<string, number>();
  private reloading: Promise<void> | null = null;
  private indexKey: KeyObject | null = null;
  private auditKey: KeyObject | null = null;

  constructor(
    private readonly driver: StorageDriver,
    options: KeyringOptions,
  ) {
    if (options.masters.length === 0) throw new Error("at least one master key is required");
    this.masters = options.masters;
    this.now = options.now;
    this.maxEncryptions = Math.max(1, Math.floor(options.maxEncryptionsPerKey));
    this.reloadIntervalMs = options.reloadIntervalMs ?? 1000;
  }

  /**
   * Loads and unwraps stored keys and settles the index key. This process's data key is
   * created on its first seal, so processes that only read (or only rotate) add none.
   */
  async init(): Promise<void> {
    await this.reload();
    await this.settleIndexKey();
  }

  /** Id of the key new records are sealed under; null before the first seal. */
  get activeKeyId(): string | null {
    return this.current?.id ?? null;
  }

  private primaryMaster(): MasterKey {
    return this.masters[0]!;
  }

  private async reload(): Promise<void> {
    const stored = await this.driver.loadKeys();
    for (const wrapped of stored) {
      if (wrapped.id.startsWith(INDEX_KEY_PREFIX)) continue;
      const known = this.keys.get(wrapped.id);
      if (known) {
        known.state = wrapped.state;
        continue;
      }
      const master = this.masters.find((m) => m.id === wrapped.masterId);
      if (!master) continue;
      try {
        const raw = unwrapKey(master, wrapped.id, wrapped.wrapped);
        this.keys.set(wrapped.id, {
          id: wrapped.id,
          raw,
          key: createSecretKey(raw),
          state: wrapped.state,
          createdAt: wrapped.createdAt,
        });
      } catch {
        // A wrapped key that fails authentication is unusable; records under it read as integrity errors.
      }
    }
  }

  private async settleIndexKey(): Promise<void> {
    const now = this.now();
    let pointer = await this.driver.indexGet(INDEX_KEY_POINTER, now);
    if (!pointer && (await this.hasData())) {
      // A new index key would silently make every stored record unreachable.
      throw new Error(
        "the index key is missing from storage although records or data keys exist (evicted or deleted?); refusing to create a new one",
      );
    }
    if (!pointer) {
      // Several processes may bootstrap at once: the driver's unique index picks one winner.
      const id = `${INDEX_KEY_PREFIX}${randomBytes(6).toString("base64url")}`;
      const key = randomBytes(32);
      const master = this.primaryMaster();
      const wrapped: WrappedKey = {
        id,
        wrapped: wrapKey(master, id, key),
        masterId: master.id,
        createdAt: now,
        state: "active",
      };
      await this.driver.saveKey(wrapped);
      if (await this.driver.indexPut(INDEX_KEY_POINTER, id, null, now)) {
        pointer = id;
      } else {
        await this.driver.saveKey({ ...wrapped, state: "retired" });
        pointer = await this.driver.indexGet(INDEX_KEY_POINTER, now);
      }
    }
    if (!pointer) throw new Error("index key could not be settled");
    const stored = (await this.driver.loadKeys()).find((k) => k.id === pointer);
    if (!stored) throw new Error("index key is missing from storage");
    const master = this.masters.find((m) => m.id === stored.masterId);
    if (!master) throw new Error("index key is wrapped by a master key that is not configured");
    const indexKey = unwrapKey(master, stored.id, stored.wrapped);
    this.indexKey = createSecretKey(indexKey);
    this.auditKey = createSecretKey(Buffer.from(hkdfSync("sha256", indexKey, "sessionvault", "audit-target/v1", 32)));
  }

  /** Whether storage already holds data keys or records (so an index key must exist too). */
  private async hasData(): Promise<boolean> {
    const keys = await this.driver.loadKeys();
    if (keys.some((k) => !k.id.startsWith(INDEX_KEY_PREFIX))) return true;
    return (await this.driver.scan(null, 1)).records.length > 0;
  }

  private async startNewDataKey(): Promise<void> {
    const id = `k${randomBytes(6).toString("base64url")}`;
    const raw = randomBytes(32);
    const master = this.primaryMaster();
    const createdAt = this.now();
    await this.driver.saveKey({
      id,
      wrapped: wrapKey(master, id, raw),
      masterId: master.id,
      createdAt,
      state: "active",
    });
    const previous = this.current;
    const next: DataKey = { id, raw, key: createSecretKey(raw), state: "active", createdAt };
    this.current = next;
    this.keys.set(id, next);
    this.used = 0;
    if (previous) await this.demote(previous);
  }

  private async demote(key: DataKey): Promise<void> {
    if (key.state !== "active") return;
    key.state = "decrypt";
    await this.driver.saveKey({
      id: key.id,
      wrapped: wrapKey(this.primaryMaster(), key.id, key.raw),
      masterId: this.primaryMaster().id,
      createdAt: key.createdAt,
      state: "decrypt",
    });
  }

  /**
   * Starts a new data key for new writes and demotes every other active key in storage
   * to decrypt-only, so other processes switch on their next key refresh.
   */
  async rotate(): Promise<string> {
    await this.reload();
    await this.startNewDataKey();
    for (const key of this.keys.values()) {
      if (key.state === "active" && key.id !== this.current!.id) await this.demote(key);
    }
    return this.current!.id;
  }

  /** Picks up keys and state changes made by other processes; starts a new key if ours was demoted. */
  async refresh(): Promise<void> {
    await this.reload();
    if (this.current && this.current.state !== "active") {
      this.rotating ??= this.startNewDataKey().finally(() => {
        this.rotating = null;
      });
      await this.rotating;
    }
  }

  /** Ids of the keys storage holds as decrypt-only right now (reloaded, not from memory). */
  async decryptOnlyKeyIds(): Promise<Set<string>> {
    await this.reload();
    return new Set([...this.keys.values()].filter((k) => k.state === "decrypt").map((k) => k.id));
  }

  /**
   * Retires exactly the given keys (each must be decrypt-only): they no longer open
   * anything. A key still active is never retired here. Returns the ids retired.
   */
  async retire(ids: ReadonlySet<string>): Promise<string[]> {
    const retired: string[] = [];
    for (const id of ids) {
      const key = this.keys.get(id);
      if (key?.state !== "decrypt") continue;
      key.state = "retired";
      await this.driver.saveKey({
        id: key.id,
        wrapped: wrapKey(this.primaryMaster(), key.id, key.raw),
        masterId: this.primaryMaster().id,
        createdAt: key.createdAt,
        state: "retired",
      });
      retired.push(key.id);
    }
    return retired;
  }

  /**
   * Storage refused a write sealed under `keyId` because that key is no longer active:
   * picks up the new state (starting a fresh key of this process's own if it was ours)
   * and seals the same plaintext again under the current key. The refused blob is one
   * this process sealed a moment ago, so it opens with the key held in memory whatever
   * that key's state has become.
   */
  async resealRefused(kind: RecordKind, key: string, blob: Uint8Array, keyId: string): Promise<Uint8Array> {
    const envelope = parseEnvelope(blob);
    const held = envelope ? this.keys.get(envelope.keyId) : undefined;
    if (!envelope || !held || envelope.keyId !== keyId) throw new IntegrityError();
    // Storage is the authority: even before a reload shows it, the key is not active any more.
    if (held.state === "active") held.state = "decrypt";
    await this.refresh();
    const plain = this.decrypt(held, kind, key, envelope);
    return this.seal(kind, key, envelope.tenantTag, plain);
  }

  /** Re-wraps every stored key under the primary master key (after adding a new master key). */
  async rewrapAll(): Promise<number> {
    await this.reload();
    const stored = await this.driver.loadKeys();
    let count = 0;
    for (const wrapped of stored) {
      if (wrapped.masterId === this.primaryMaster().id) continue;
      const master = this.masters.find((m) => m.id === wrapped.masterId);
      if (!master) continue;
      const key = unwrapKey(master, wrapped.id, wrapped.wrapped);
      await this.driver.saveKey({
        ...wrapped,
        wrapped: wrapKey(this.primaryMaster(), wrapped.id, key),
        masterId: this.primaryMaster().id,
      });
      count++;
    }
    return count;
  }

  /** Demotes this process's key on shutdown: records under it stay readable, nothing new uses it. */
  async close(): Promise<void> {
    if (this.current) await this.demote(this.current);
  }

  /** State of each known data key, for operators. */
  describe(): { id: string; state: WrappedKey["state"]; createdAt: number }[] {
    return [...this.keys.values()].map(({ id, state, createdAt }) => ({ id, state, createdAt }));
  }

  /** Keyed hash (HMAC-SHA-256, base64url) of the given parts; no part may contain NUL except the last. */
  hash(...parts: string[]): string {
    if (!this.indexKey) throw new Error("keyring is not initialised");
    return createHmac("sha256", this.indexKey).update(parts.join("\0")).digest("base64url");
  }

  /** A short tag naming a tenant without revealing it. */
  tenantTag(tenant: string | null): string {
    return tenant === null ? "" : this.hash("tenant", tenant).slice(0, 22);
  }

  /** Salted hash for the audit log; unlinkable to storage keys without the vault's keys. */
  auditHash(value: string): string {
    if (!this.auditKey) throw new Error("keyring is not initialised");
    return createHmac("sha256", this.auditKey).update(value).digest("base64url").slice(0, 22);
  }

  private async reserve(): Promise<DataKey> {
    for (;;) {
      if (this.rotating) await this.rotating;
      if (this.used < this.maxEncryptions && this.current?.state === "active") {
        this.used++;
        return this.current;
      }
      this.rotating ??= this.startNewDataKey().finally(() => {
        this.rotating = null;
      });
    }
  }

  /** Seals a plaintext with AES-256-GCM under the active key; AAD binds kind, key, tenant and key id. */
  async seal(kind: RecordKind, key: string, tenantTag: string, plaintext: Uint8Array): Promise<Uint8Array> {
    const dataKey = await this.reserve();
    const keyId = Buffer.from(dataKey.id, "utf8");
    const tenant = Buffer.from(tenantTag, "utf8");
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv("aes-256-gcm", dataKey.key, nonce);
    cipher.setAAD(recordAad(kind, key, tenantTag, dataKey.id));
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return Buffer.concat([
      Buffer.from([ENVELOPE_VERSION, keyId.length]),
      keyId,
      Buffer.from([tenant.length]),
      tenant,
      nonce,
      body,
      cipher.getAuthTag(),
    ]);
  }

  /** Opens a sealed record; throws IntegrityError on any mismatch, never returns foreign data. */
  async open(kind: RecordKind, key: string, tenantTag: string, blob: Uint8Array): Promise<Buffer> {
    const envelope = parseEnvelope(blob);
    if (!envelope || envelope.tenantTag !== tenantTag) throw new IntegrityError();
    let dataKey = this.keys.get(envelope.keyId);
    if (!dataKey && this.reloading) {
      // A reload in flight may be the one another reader of this key started: wait for it
      // rather than fail while the key is on its way.
      await this.reloading;
      dataKey = this.keys.get(envelope.keyId);
    }
    if (!dataKey) {
      // Another instance's key: look it up in storage, but at most once per interval per
      // id, so a corrupted key id cannot make every read hit storage.
      const now = this.now();
      const missed = this.misses.get(envelope.keyId);
      if (missed === undefined || now - missed >= this.reloadIntervalMs) {
        if (this.misses.size >= 1024) this.misses.clear();
        this.misses.set(envelope.keyId, now);
        this.reloading ??= this.reload().finally(() => {
          this.reloading = null;
        });
        await this.reloading;
        dataKey = this.keys.get(envelope.keyId);
      }
    }
    if (!dataKey || dataKey.state === "retired") throw new IntegrityError();
    return this.decrypt(dataKey, kind, key, envelope);
  }

  private decrypt(dataKey: DataKey, kind: RecordKind, key: string, envelope: Envelope): Buffer {
    try {
      const decipher = createDecipheriv("aes-256-gcm", dataKey.key, envelope.nonce);
      decipher.setAAD(recordAad(kind, key, envelope.tenantTag, envelope.keyId));
      decipher.setAuthTag(envelope.tag);
      const plain = decipher.update(envelope.body);
      // GCM holds nothing back, so final() only checks the tag; no second copy of the plaintext.
      const rest = decipher.final();
      return rest.length === 0 ? plain : Buffer.concat([plain, rest]);
    } catch {
      throw new IntegrityError();
    }
  }

  /** Key id and tenant tag of a sealed record, without decrypting it. */
  inspect(blob: Uint8Array): { keyId: string; tenantTag: string } | null {
    const envelope = parseEnvelope(blob);
    return envelope ? { keyId: envelope.keyId, tenantTag: envelope.tenantTag } : null;
  }
}

function recordAad(kind: RecordKind, key: string, tenantTag: string, keyId: string): Buffer {
  return Buffer.from(`sessionvault/record/v1\0${kind}\0${key}\0${tenantTag}\0${keyId}`);
}

interface Envelope {
  keyId: string;
  tenantTag: string;
  nonce: Buffer;
  body: Buffer;
  tag: Buffer;
}

function parseEnvelope(blob: Uint8Array): Envelope | null {
  const buf = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  if (buf.length < 3 || buf[0] !== ENVELOPE_VERSION) return null;
  const keyIdLength = buf[1]!;
  let offset = 2;
  if (buf.length < offset + keyIdLength + 1) return null;
  const keyId = buf.toString("utf8", offset, offset + keyIdLength);
  offset += keyIdLength;
  const tenantLength = buf[offset]!;
  offset += 1;
  if (buf.length < offset + tenantLength + NONCE_BYTES + TAG_BYTES) return null;
  const tenantTag = buf.toString("utf8", offset, offset + tenantLength);
  offset += tenantLength;
  const nonce = buf.subarray(offset, offset + NONCE_BYTES);
  offset += NONCE_BYTES;
  return {
    keyId,
    tenantTag,
    nonce,
    body: buf.subarray(offset, buf.length - TAG_BYTES),
    tag: buf.subarray(buf.length - TAG_BYTES),
  };
}

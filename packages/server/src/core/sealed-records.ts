import { IntegrityError, type Keyring } from "../crypto/keyring.js";
import type { RecordKind, StoredRecord } from "../storage/types.js";
import type { CallContext } from "./context.js";
import {
  decodeSession,
  decodeToken,
  decodeUser,
  encodeSession,
  encodeToken,
  encodeUser,
  type OpenedSession,
  type SessionPayload,
  type TokenPayload,
  type UserPayload,
} from "./record-codec.js";
import type { RecordKeys } from "./record-keys.js";

/**
 * Payloads to sealed blobs and back: the record codec under the keyring's envelope,
 * bound to the record's kind, key and tenant. A blob that does not open, or opens to
 * something that is not a payload of its kind, is an {@link IntegrityError}.
 */
export class SealedRecords {
  constructor(
    private readonly keyring: Keyring,
    private readonly keys: RecordKeys,
  ) {}

  private seal(ctx: CallContext, kind: RecordKind, key: string, plain: Buffer): Promise<Uint8Array> {
    return this.keyring.seal(kind, key, this.keys.tenantTag(ctx), plain);
  }

  private async open<T>(ctx: CallContext, record: StoredRecord, decode: (text: string) => T | null): Promise<T> {
    const plain = await this.keyring.open(record.kind, record.key, this.keys.tenantTag(ctx), record.blob);
    const payload = decode(plain.toString("utf8"));
    if (payload === null) throw new IntegrityError();
    return payload;
  }

  sealSession(ctx: CallContext, key: string, payload: SessionPayload): Promise<Uint8Array> {
    return this.seal(ctx, "session", key, encodeSession(payload));
  }
  /** `id`, when given, must be the id sealed inside: a blob moved to another id fails. */
  async openSession(ctx: CallContext, record: StoredRecord, id?: string): Promise<OpenedSession> {
    const payload = await this.open(ctx, record, decodeSession);
    if (id !== undefined && payload.id !== id) throw new IntegrityError();
    return payload;
  }

  sealUser(ctx: CallContext, key: string, payload: UserPayload): Promise<Uint8Array> {
    return this.seal(ctx, "user", key, encodeUser(payload));
  }
  openUser(ctx: CallContext, record: StoredRecord): Promise<UserPayload> {
    return this.open(ctx, record, decodeUser);
  }

  sealToken(ctx: CallContext, key: string, payload: TokenPayload): Promise<Uint8Array> {
    return this.seal(ctx, "token", key, encodeToken(payload));
  }
  openToken(ctx: CallContext, record: StoredRecord): Promise<TokenPayload> {
    return this.open(ctx, record, decodeToken);
  }
}

import type { Json } from "./context.js";
import { RawJson } from "./raw-json.js";

/**
 * The plaintexts sealed inside records, with named fields. Records sealed by earlier
 * vaults used one-letter keys (`i`, `d`, `c`, ...); they decode the same way, and are
 * rewritten with names on their next write.
 */

export interface SessionPayload {
  /** The raw session id, kept only inside the ciphertext so listings can return it. */
  id: string;
  /** Raw when it comes from a stored record and is written back unchanged. */
  data: Json | RawJson;
  /** Creation, unix ms. */
  created: number;
  /** Token of the linked user, or null. */
  user: string | null;
  /** Sliding window in ms, or null. */
  sliding: number | null;
  /** Absolute expiry, unix ms, or null. */
  final: number | null;
  /** Last write, unix ms. */
  written: number;
}

/** A session as opened: its data stays the JSON text it was sealed as. */
export type OpenedSession = SessionPayload & { data: RawJson };

export interface UserPayload {
  token: string;
  profile: Json;
  created: number;
  sliding: number | null;
  final: number | null;
}

export interface TokenPayload {
  uuid: string;
  /** The token base handed out beside the uuid. */
  base: string;
  type: string;
  /** The tokenised value. */
  record: string;
  /** Created with `unique`: the value's index entry is the record's too. */
  unique: boolean;
  /**
   * Created with `baselookup`: its token base is also a lookup key (a base index entry
   * names it). False for tokens sealed before the option existed.
   */
  lookup: boolean;
  created: number;
  sliding: number | null;
  final: number | null;
}

type Fields = Record<string, unknown>;

/** A named field, or its one-letter name in records sealed by earlier vaults. */
function pick(fields: Fields, name: string, legacy: string): unknown {
  return Object.hasOwn(fields, name) ? fields[name] : fields[legacy];
}

const isString = (v: unknown): v is string => typeof v === "string";
const isTime = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
const isOptionalTime = (v: unknown): v is number | null => v === null || v === undefined || isTime(v);
const isObject = (v: unknown): v is Fields => typeof v === "object" && v !== null && !Array.isArray(v);

function parseObject(text: string): Fields | null {
  try {
    const value: unknown = JSON.parse(text);
    return isObject(value) ? value : null;
  } catch {
    return null;
  }
}

/**
 * Session plaintext: the metadata as one JSON line, then the data as JSON. JSON text never
 * holds a raw newline, so the first one splits them, and a read hands the data on as text.
 */
export function encodeSession(payload: SessionPayload): Buffer {
  const { data, ...meta } = payload;
  return Buffer.from(`${JSON.stringify(meta)}\n${data instanceof RawJson ? data.text : JSON.stringify(data)}`);
}

/** The session in a plaintext, or null when it is not one. */
export function decodeSession(text: string): OpenedSession | null {
  const split = text.indexOf("\n");
  let meta: Fields | null;
  let data: string | undefined;
  if (split === -1) {
    // Sealed before the split format: one JSON object with the data under `d`.
    meta = parseObject(text);
    data = meta && isObject(meta.d) ? JSON.stringify(meta.d) : undefined;
  } else {
    meta = parseObject(text.slice(0, split));
    data = text.slice(split + 1);
  }
  if (!meta || data === undefined) return null;
  const id = pick(meta, "id", "i");
  const created = pick(meta, "created", "c");
  const user = pick(meta, "user", "u") ?? null;
  const sliding = pick(meta, "sliding", "s") ?? null;
  const final = pick(meta, "final", "f") ?? null;
  const written = pick(meta, "written", "w") ?? created;
  if (!isString(id) || !isTime(created) || !(user === null || isString(user))) return null;
  if (!isOptionalTime(sliding) || !isOptionalTime(final) || !isTime(written)) return null;
  return { id, data: new RawJson(data), created, user, sliding, final, written };
}

export function encodeUser(payload: UserPayload): Buffer {
  return Buffer.from(JSON.stringify(payload));
}

/** The user in a plaintext, or null when it is not one. */
export function decodeUser(text: string): UserPayload | null {
  const fields = parseObject(text);
  if (!fields) return null;
  const token = pick(fields, "token", "t");
  const profile = pick(fields, "profile", "p");
  const created = pick(fields, "created", "c");
  const sliding = pick(fields, "sliding", "s") ?? null;
  const final = pick(fields, "final", "f") ?? null;
  if (!isString(token) || !isObject(profile) || !isTime(created)) return null;
  if (!isOptionalTime(sliding) || !isOptionalTime(final)) return null;
  return { token, profile, created, sliding, final };
}

export function encodeToken(payload: TokenPayload): Buffer {
  return Buffer.from(JSON.stringify(payload));
}

/** The token in a plaintext, or null when it is not one. */
export function decodeToken(text: string): TokenPayload | null {
  const fields = parseObject(text);
  if (!fields) return null;
  const uuid = pick(fields, "uuid", "u");
  const base = pick(fields, "base", "b");
  const type = pick(fields, "type", "y");
  const record = pick(fields, "record", "r");
  const unique = pick(fields, "unique", "q") ?? false;
  const lookup = fields.lookup ?? false;
  const created = pick(fields, "created", "c");
  const sliding = pick(fields, "sliding", "s") ?? null;
  const final = pick(fields, "final", "f") ?? null;
  if (!isString(uuid) || !isString(base) || !isString(type) || !isString(record)) return null;
  if (
    typeof unique !== "boolean" ||
    typeof lookup !== "boolean" ||
    !isTime(created) ||
    !isOptionalTime(sliding) ||
    !isOptionalTime(final)
  ) {
    return null;
  }
  return { uuid, base, type, record, unique, lookup, created, sliding, final };
}

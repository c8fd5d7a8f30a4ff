import { createHash } from "node:crypto";
import { Redis } from "ioredis";
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
 * Options for {@link createRedisDriver}.
 *
 * @example
 * ```ts
 * const options: RedisDriverOptions = { url: "redis://cache:6379/0", keyPrefix: "shop-vault:" };
 * ```
 */
export interface RedisDriverOptions {
  /** `redis://[:password@]host:port[/db]` or `rediss://` for TLS. */
  url: string;
  /** Prefix of every key, so several vaults can share one Redis database (default `sv:`). */
  keyPrefix?: string;
  /**
   * Start even when the server may evict keys (`maxmemory-policy` other than
   * `noeviction`). Off by default: an evicted index or key entry makes records
   * unreachable. Only for a Redis whose memory can never fill.
   */
  allowEviction?: boolean;
}

/*
 * Key layout (P = prefix):
 *   P r:<kind>:<key>          hash {b blob, v version, e expiresAt|"", l lastUsed, o owner|""}, PEXPIREAT e
 *   P ol:<kind>:<owner>       zset key -> lastUsed   (listing order)
 *   P oe:<kind>:<owner>       zset key -> expiresAt  (+inf when none; live count without touching records)
 *   P i:<name>                hash {k key, e expiresAt|""}, PEXPIREAT e
 *   P n:<key>                 set of the index names claimed for record <key> (dropped with it)
 *   P x                       zset "r:<kind>:<key>" | "i:<name>" -> expiresAt (what the sweep visits)
 *   P audit                   zset "<seq> <json>" -> at  (json: [at, actor, action, target, outcome, tenant, metadata?])
 *   P audit:seq               counter that keeps equal audit events apart
 *   P audit:denied            hash "<minute> <network> <reason>" -> "<count> <firstAt> <lastAt>"
 *   P audit:denied:order      zset of those fields -> creation order (the oldest go first)
 *   P audit:denied:order:seq  counter for that order
 *   P keys                    hash id -> json
 *
 * Redis removes an expired record on its own clock (native TTL); every read also compares
 * expiresAt with the caller's clock, so a record is invisible the moment either says so.
 * Scripts build the owner-set keys from the stored owner, so this layout needs one Redis
 * primary (standalone or Sentinel), not Redis Cluster.
 */

// Shared Lua helpers. Numbers travel as decimal strings; "" stands for null.
const LIVE = `
local function live(e, now)
  return e == false or e == nil or e == '' or tonumber(e) > tonumber(now)
end
`;

// A sealed write only while its key is active: checked in the write's own script, so a
// demotion (a keys hash update) is either before the write (seen) or after it.
const SEALED_WITH = `
local function sealing_key_active(P, id)
  if id == '' then return true end
  local json = redis.call('HGET', P .. 'keys', id)
  return json and cjson.decode(json).state == 'active'
end
`;

// KEYS: P   ARGV: kind key blob version expiresAt lastUsed owner expect now sealedWith
// -> 1 written, 0 version mismatch, -1 sealing key not active
const PUT_SCRIPT = `${LIVE}${SEALED_WITH}
local P, kind, key = KEYS[1], ARGV[1], ARGV[2]
if not sealing_key_active(P, ARGV[10]) then return -1 end
local rk = P .. 'r:' .. kind .. ':' .. key
local cur = redis.call('HMGET', rk, 'v', 'e', 'o')
local exists = cur[1] ~= false and live(cur[2], ARGV[9])
local expect = ARGV[8]
if expect ~= '' then
  if expect == '0' then
    if exists then return 0 end
  elseif not exists or cur[1] ~= expect then
    return 0
  end
end
if cur[3] and cur[3] ~= '' then
  redis.call('ZREM', P .. 'ol:' .. kind .. ':' .. cur[3], key)
  redis.call('ZREM', P .. 'oe:' .. kind .. ':' .. cur[3], key)
end
redis.call('DEL', rk)
redis.call('HSET', rk, 'b', ARGV[3], 'v', ARGV[4], 'e', ARGV[5], 'l', ARGV[6], 'o', ARGV[7])
local member = 'r:' .. kind .. ':' .. key
if ARGV[5] ~= '' then
  redis.call('PEXPIREAT', rk, ARGV[5])
  redis.call('ZADD', P .. 'x', ARGV[5], member)
else
  redis.call('ZREM', P .. 'x', member)
end
if ARGV[7] ~= '' then
  redis.call('ZADD', P .. 'ol:' .. kind .. ':' .. ARGV[7], ARGV[6], key)
  redis.call('ZADD', P .. 'oe:' .. kind .. ':' .. ARGV[7], ARGV[5] == '' and '+inf' or ARGV[5], key)
end
return 1
`;

// KEYS: P   ARGV: id json rank   (json starts with {"state":...}; a stored later state is kept)
const SAVE_KEY_SCRIPT = `
local P, id, json, rank = KEYS[1], ARGV[1], ARGV[2], tonumber(ARGV[3])
local ranks = { ${Object.entries(KEY_STATE_RANK)
  .map(([state, rank]) => `${state} = ${rank}`)
  .join(", ")} }
local old = redis.call('HGET', P .. 'keys', id)
if old then
  local state = cjson.decode(old).state
  if (ranks[state] or 0) > rank then
    json = '{"state":"' .. state .. '"' .. string.sub(json, (string.find(json, ',', 1, true)))
  end
end
redis.call('HSET', P .. 'keys', id, json)
return 1
`;

// KEYS: P   ARGV: kind key now   -> {b, v, e, l, o} or nil
const GET_SCRIPT = `${LIVE}
local rk = KEYS[1] .. 'r:' .. ARGV[1] .. ':' .. ARGV[2]
local cur = redis.call('HMGET', rk, 'b', 'v', 'e', 'l', 'o')
if cur[2] == false or not live(cur[3], ARGV[3]) then return nil end
return cur
`;

// KEYS: P   ARGV: kind key expiresAt lastUsed now
const TOUCH_SCRIPT = `${LIVE}
local P, kind, key = KEYS[1], ARGV[1], ARGV[2]
local rk = P .. 'r:' .. kind .. ':' .. key
local cur = redis.call('HMGET', rk, 'v', 'e', 'o')
if cur[1] == false or not live(cur[2], ARGV[5]) then return 0 end
redis.call('HSET', rk, 'e', ARGV[3], 'l', ARGV[4])
local member = 'r:' .. kind .. ':' .. key
if ARGV[3] ~= '' then
  redis.call('PEXPIREAT', rk, ARGV[3])
  redis.call('ZADD', P .. 'x', ARGV[3], member)
else
  redis.call('PERSIST', rk)
  redis.call('ZREM', P .. 'x', member)
end
if cur[3] and cur[3] ~= '' then
  redis.call('ZADD', P .. 'ol:' .. kind .. ':' .. cur[3], ARGV[4], key)
  redis.call('ZADD', P .. 'oe:' .. kind .. ':' .. cur[3], ARGV[3] == '' and '+inf' or ARGV[3], key)
end
return 1
`;

// Drops the index names still pointing at a removed user or token (names claimed without
// an expiry would otherwise outlive their record).
const DROP_NAMES = `
local function drop_names(P, kind, key)
  if kind == 'session' then return end
  local nk = P .. 'n:' .. key
  for _, name in ipairs(redis.call('SMEMBERS', nk)) do
    local ik = P .. 'i:' .. name
    if redis.call('HGET', ik, 'k') == key then
      redis.call('DEL', ik)
      redis.call('ZREM', P .. 'x', 'i:' .. name)
    end
  end
  redis.call('DEL', nk)
end
`;

// KEYS: P   ARGV: kind key
const DELETE_SCRIPT = `${DROP_NAMES}
local P, kind, key = KEYS[1], ARGV[1], ARGV[2]
local rk = P .. 'r:' .. kind .. ':' .. key
local owner = redis.call('HGET', rk, 'o')
if owner and owner ~= '' then
  redis.call('ZREM', P .. 'ol:' .. kind .. ':' .. owner, key)
  redis.call('ZREM', P .. 'oe:' .. kind .. ':' .. owner, key)
end
redis.call('ZREM', P .. 'x', 'r:' .. kind .. ':' .. key)
drop_names(P, kind, key)
return redis.call('DEL', rk)
`;

// KEYS: P   ARGV: kind owner now offset limit   -> {total, {b v e l o key}...}
// Walks the owner's keys newest first and skips the expired ones, so the page is exact;
// members whose record Redis already expired natively are dropped on the way.
const LIST_SCRIPT = `${LIVE}
local P, kind, owner, now = KEYS[1], ARGV[1], ARGV[2], ARGV[3]
local offset, limit = tonumber(ARGV[4]), tonumber(ARGV[5])
local ol = P .. 'ol:' .. kind .. ':' .. owner
local oe = P .. 'oe:' .. kind .. ':' .. owner
local out = {}
local skipped, taken, stale = 0, 0, 0
local start = 0
local batch = 200
while taken < limit do
  local keys = redis.call('ZREVRANGE', ol, start, start + batch - 1)
  if #keys == 0 then break end
  for _, key in ipairs(keys) do
    local rk = P .. 'r:' .. kind .. ':' .. key
    local cur = redis.call('HMGET', rk, 'b', 'v', 'e', 'l', 'o')
    if cur[2] == false then
      redis.call('ZREM', ol, key)
      redis.call('ZREM', oe, key)
      stale = stale + 1
    elseif live(cur[3], now) then
      if skipped < offset then
        skipped = skipped + 1
      elseif taken < limit then
        taken = taken + 1
        cur[6] = key
        out[#out + 1] = cur
      end
    end
  end
  start = start + batch - stale
  stale = 0
end
local total = redis.call('ZCOUNT', oe, '(' .. now, '+inf')
return {total, out}
`;

// KEYS: P   ARGV: kind owner now keep...   -> how many live records went
const DELETE_BY_OWNER_SCRIPT = `${LIVE}${DROP_NAMES}
local P, kind, owner, now = KEYS[1], ARGV[1], ARGV[2], ARGV[3]
local keep = {}
for i = 4, #ARGV do keep[ARGV[i]] = true end
local ol = P .. 'ol:' .. kind .. ':' .. owner
local oe = P .. 'oe:' .. kind .. ':' .. owner
local deleted = 0
for _, key in ipairs(redis.call('ZRANGE', ol, 0, -1)) do
  if not keep[key] then
    local rk = P .. 'r:' .. kind .. ':' .. key
    local cur = redis.call('HMGET', rk, 'v', 'e')
    if cur[1] ~= false and live(cur[2], now) then deleted = deleted + 1 end
    redis.call('DEL', rk)
    drop_names(P, kind, key)
    redis.call('ZREM', ol, key)
    redis.call('ZREM', oe, key)
    redis.call('ZREM', P .. 'x', 'r:' .. kind .. ':' .. key)
  end
end
return deleted
`;

// KEYS: P   ARGV: name key expiresAt now
const INDEX_PUT_SCRIPT = `${LIVE}
local P = KEYS[1]
local ik = P .. 'i:' .. ARGV[1]
local cur = redis.call('HMGET', ik, 'k', 'e')
if cur[1] ~= false and live(cur[2], ARGV[4]) then return 0 end
if cur[1] ~= false then redis.call('SREM', P .. 'n:' .. cur[1], ARGV[1]) end
redis.call('DEL', ik)
redis.call('HSET', ik, 'k', ARGV[2], 'e', ARGV[3])
redis.call('SADD', P .. 'n:' .. ARGV[2], ARGV[1])
if ARGV[3] ~= '' then
  redis.call('PEXPIREAT', ik, ARGV[3])
  redis.call('ZADD', P .. 'x', ARGV[3], 'i:' .. ARGV[1])
else
  redis.call('ZREM', P .. 'x', 'i:' .. ARGV[1])
end
return 1
`;

// KEYS: P   ARGV: name now
const INDEX_GET_SCRIPT = `${LIVE}
local cur = redis.call('HMGET', KEYS[1] .. 'i:' .. ARGV[1], 'k', 'e')
if cur[1] == false or not live(cur[2], ARGV[2]) then return nil end
return cur[1]
`;

// KEYS: P   ARGV: name onlyKey ("" for any)
const INDEX_DELETE_SCRIPT = `
local P = KEYS[1]
local ik = P .. 'i:' .. ARGV[1]
local key = redis.call('HGET', ik, 'k')
if ARGV[2] ~= '' and key ~= ARGV[2] then return 0 end
if key then redis.call('SREM', P .. 'n:' .. key, ARGV[1]) end
redis.call('DEL', ik)
redis.call('ZREM', P .. 'x', 'i:' .. ARGV[1])
return 1
`;

// KEYS: P   ARGV: now limit
const SWEEP_SCRIPT = `${DROP_NAMES}
local P = KEYS[1]
local due = redis.call('ZRANGEBYSCORE', P .. 'x', '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
local deleted = 0
for _, member in ipairs(due) do
  local kindAndKey = string.match(member, '^r:(.*)$')
  if kindAndKey then
    local kind, key = string.match(kindAndKey, '^([^:]*):(.*)$')
    local rk = P .. member
    local cur = redis.call('HMGET', rk, 'e', 'o')
    -- A record extended after it was queued carries a later expiry: leave it.
    if cur[1] == false or cur[1] == '' or tonumber(cur[1]) <= tonumber(ARGV[1]) then
      deleted = deleted + redis.call('DEL', rk)
      drop_names(P, kind, key)
      if cur[2] and cur[2] ~= '' then
        redis.call('ZREM', P .. 'ol:' .. kind .. ':' .. cur[2], key)
        redis.call('ZREM', P .. 'oe:' .. kind .. ':' .. cur[2], key)
      end
      redis.call('ZREM', P .. 'x', member)
    end
  else
    local ik = P .. member
    local e = redis.call('HGET', ik, 'e')
    if e == false or e == '' or tonumber(e) <= tonumber(ARGV[1]) then
      deleted = deleted + redis.call('DEL', ik)
      redis.call('ZREM', P .. 'x', member)
    end
  end
end
return deleted
`;

// Stores one audit event and keeps the newest `max` (by time). KEYS: P   ARGV: at body max
const APPEND_AUDIT = `
local function append_audit(P, at, body, max)
  local ak = P .. 'audit'
  local member = string.format('%016d', redis.call('INCR', ak .. ':seq')) .. ' ' .. body
  redis.call('ZADD', ak, at, member)
  if max ~= '' then
    local over = redis.call('ZCARD', ak) - tonumber(max)
    if over > 0 then redis.call('ZREMRANGEBYRANK', ak, 0, over - 1) end
  end
  return member
end
`;
const APPEND_AUDIT_SCRIPT = `${APPEND_AUDIT}
append_audit(KEYS[1], ARGV[1], ARGV[2], ARGV[3])
return 1
`;

/**
 * The audited form of a write script: its last three ARGV carry an audit event, stored
 * in the same script right after the write, and only when the write changed something.
 * A script is atomic but has no rollback, so what could make the audit write fail is
 * checked before the write runs: keys of another type refuse the whole script, and under
 * `maxmemory` Redis refuses a script at its first write (the record's), never half-way.
 * The write script itself sees its own ARGV only.
 */
function auditedScript(script: string): string {
  return `${APPEND_AUDIT}
local n = #ARGV
local audit_at, audit_body, audit_max = ARGV[n - 2], ARGV[n - 1], ARGV[n]
local ARGV = {unpack(ARGV, 1, n - 3)}
local ak = KEYS[1] .. 'audit'
local zt, st = redis.call('TYPE', ak)['ok'], redis.call('TYPE', ak .. ':seq')['ok']
if (zt ~= 'zset' and zt ~= 'none') or (st ~= 'string' and st ~= 'none') then
  return redis.error_reply('ERR the audit log keys hold another type; nothing was written')
end
local result = (function()
${script}
end)()
if tonumber(result) > 0 then append_audit(KEYS[1], audit_at, audit_body, audit_max) end
return result
`;
}

const AUDITED_PUT_SCRIPT = auditedScript(PUT_SCRIPT);
const AUDITED_DELETE_SCRIPT = auditedScript(DELETE_SCRIPT);
const AUDITED_DELETE_BY_OWNER_SCRIPT = auditedScript(DELETE_BY_OWNER_SCRIPT);

/** The stored form of an event: `[at, actor, action, target, outcome, tenant, metadata?]`. */
function auditBody(event: AuditEvent): string {
  const fields: unknown[] = [event.at, event.actor, event.action, event.target, event.outcome, event.tenant];
  if (event.metadata !== undefined) fields.push(event.metadata);
  return JSON.stringify(fields);
}

/** ARGV tail of an audited script, or nothing. */
function auditArgs(audit: AuditAppend | undefined): (string | number)[] {
  return audit ? [audit.event.at, auditBody(audit.event), audit.maxEvents] : [];
}

// KEYS: P   ARGV: max, then minute network reason count firstAt lastAt per aggregate
const DENIED_SCRIPT = `
local P = KEYS[1]
local h, z = P .. 'audit:denied', P .. 'audit:denied:order'
for i = 2, #ARGV, 6 do
  local id = ARGV[i] .. ' ' .. ARGV[i + 1] .. ' ' .. ARGV[i + 2]
  local count, first, last = tonumber(ARGV[i + 3]), tonumber(ARGV[i + 4]), tonumber(ARGV[i + 5])
  local cur = redis.call('HGET', h, id)
  if cur then
    local c, f, l = string.match(cur, '^(%d+) (%d+) (%d+)$')
    count, first, last = count + tonumber(c), math.min(first, tonumber(f)), math.max(last, tonumber(l))
  else
    redis.call('ZADD', z, redis.call('INCR', z .. ':seq'), id)
  end
  redis.call('HSET', h, id, string.format('%d %d %d', count, first, last))
end
local over = redis.call('ZCARD', z) - tonumber(ARGV[1])
if over > 0 then
  for _, id in ipairs(redis.call('ZRANGE', z, 0, over - 1)) do redis.call('HDEL', h, id) end
  redis.call('ZREMRANGEBYRANK', z, 0, over - 1)
end
return 1
`;

// KEYS: P   ARGV: before   -> how many aggregates went (last seen before `before`)
const PRUNE_DENIED_SCRIPT = `
local P = KEYS[1]
local h, z = P .. 'audit:denied', P .. 'audit:denied:order'
local gone = 0
for _, id in ipairs(redis.call('ZRANGE', z, 0, -1)) do
  local cur = redis.call('HGET', h, id)
  local last = cur and tonumber(string.match(cur, ' (%d+)$'))
  if not last or last < tonumber(ARGV[1]) then
    redis.call('HDEL', h, id)
    redis.call('ZREM', z, id)
    gone = gone + 1
  end
end
return gone
`;

const SHAS = new Map<string, string>();

const str = (v: number | null): string => (v === null ? "" : String(v));
const orNull = (v: string): number | null => (v === "" ? null : Number(v));

type Fields = [Buffer, Buffer, Buffer, Buffer, Buffer];

function fieldsToRecord(kind: RecordKind, key: string, f: Fields): StoredRecord {
  const owner = f[4].toString();
  return {
    kind,
    key,
    blob: new Uint8Array(f[0]),
    version: Number(f[1].toString()),
    expiresAt: orNull(f[2].toString()),
    lastUsed: Number(f[3].toString()),
    owner: owner === "" ? null : owner,
  };
}

/**
 * Storage on Redis with native expiry (PEXPIREAT), for many vault instances that share
 * one Redis primary. Each write is one Lua script, so compare-and-set and the owner
 * lists stay consistent under concurrency. Durability is Redis's: run it with
 * `appendonly yes` and `appendfsync always` when every acknowledged write must survive
 * a Redis crash.
 *
 * @example
 * ```ts
 * const storage = new RedisDriver({ url: "redis://cache:6379/0" });
 * await storage.init();
 * ```
 */
export class RedisDriver implements StorageDriver {
  readonly name = "redis" as const;
  readonly #redis: Redis;
  readonly #p: string;

  readonly #allowEviction: boolean;
  constructor(options: RedisDriverOptions) {
    this.#p = options.keyPrefix ?? "sv:";
    this.#allowEviction = options.allowEviction ?? false;
    this.#redis = new Redis(options.url, {
      lazyConnect: true,
      // Fail a call instead of queueing it forever while Redis is away (readiness must see it).
      maxRetriesPerRequest: 2,
      enableOfflineQueue: true,
    });
    // Connection errors surface on the calls that hit them; the event itself must not crash.
    this.#redis.on("error", () => {});
  }

  async init(): Promise<void> {
    if (this.#redis.status === "wait") await this.#redis.connect();
    await this.#redis.ping();
    // INFO works where CONFIG is disabled (managed Redis); the policy is one of its lines.
    const info = await this.#redis.info("memory");
    const policy = /^maxmemory_policy:(\S+)/m.exec(info)?.[1] ?? "noeviction";
    if (policy !== "noeviction" && !this.#allowEviction) {
      throw new Error(
        `redis maxmemory-policy is ${policy}: the vault needs noeviction (an evicted key makes records unreachable); set it, or pass allowEviction to accept the risk`,
      );
    }
  }

  // EVALSHA keeps the script text off the wire; the first call on a fresh server loads it.
  async #eval(script: string, args: (string | number | Uint8Array)[]): Promise<unknown> {
    const argv = args.map((a) => (a instanceof Uint8Array ? Buffer.from(a.buffer, a.byteOffset, a.byteLength) : a));
    let sha = SHAS.get(script);
    if (sha === undefined) {
      sha = createHash("sha1").update(script).digest("hex");
      SHAS.set(script, sha);
    }
    try {
      return await this.#redis.callBuffer("EVALSHA", sha, 1, this.#p, ...argv);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith("NOSCRIPT")) throw error;
      return this.#redis.callBuffer("EVAL", script, 1, this.#p, ...argv);
    }
  }

  async get(kind: RecordKind, key: string, now: number): Promise<StoredRecord | null> {
    const f = (await this.#eval(GET_SCRIPT, [kind, key, now])) as Fields | null;
    return f ? fieldsToRecord(kind, key, f) : null;
  }

  async put(record: StoredRecord, options: PutOptions = {}): Promise<boolean> {
    const r = await this.#eval(options.audit ? AUDITED_PUT_SCRIPT : PUT_SCRIPT, [
      record.kind,
      record.key,
      record.blob,
      record.version,
      str(record.expiresAt),
      record.lastUsed,
      record.owner ?? "",
      options.expectVersion === undefined ? "" : String(options.expectVersion),
      options.now ?? record.lastUsed,
      options.sealedWith ?? "",
      ...auditArgs(options.audit),
    ]);
    if (r === -1) throw new SealingKeyNotActiveError(options.sealedWith ?? "");
    return r === 1;
  }

  async touch(
    kind: RecordKind,
    key: string,
    expiresAt: number | null,
    lastUsed: number,
    now: number,
  ): Promise<boolean> {
    return (await this.#eval(TOUCH_SCRIPT, [kind, key, str(expiresAt), lastUsed, now])) === 1;
  }

  async delete(kind: RecordKind, key: string, audit?: AuditAppend): Promise<boolean> {
    const script = audit ? AUDITED_DELETE_SCRIPT : DELETE_SCRIPT;
    return (await this.#eval(script, [kind, key, ...auditArgs(audit)])) === 1;
  }

  async listByOwner(kind: RecordKind, owner: string, now: number, offset: number, limit: number): Promise<ListResult> {
    const [total, rows] = (await this.#eval(LIST_SCRIPT, [
      kind,
      owner,
      now,
      Math.max(0, offset),
      Math.max(0, limit),
    ])) as [number, [...Fields, Buffer][]];
    return {
      total,
      records: rows.map((row) => fieldsToRecord(kind, row[5].toString(), row.slice(0, 5) as Fields)),
    };
  }

  async deleteByOwner(
    kind: RecordKind,
    owner: string,
    keepKeys: readonly string[],
    now: number,
    audit?: AuditAppend,
  ): Promise<number> {
    const script = audit ? AUDITED_DELETE_BY_OWNER_SCRIPT : DELETE_BY_OWNER_SCRIPT;
    return (await this.#eval(script, [kind, owner, now, ...keepKeys, ...auditArgs(audit)])) as number;
  }

  async indexPut(name: string, key: string, expiresAt: number | null, now: number): Promise<boolean> {
    return (await this.#eval(INDEX_PUT_SCRIPT, [name, key, str(expiresAt), now])) === 1;
  }

  async indexGet(name: string, now: number): Promise<string | null> {
    const r = (await this.#eval(INDEX_GET_SCRIPT, [name, now])) as Buffer | null;
    return r ? r.toString() : null;
  }

  async indexDelete(name: string, onlyKey?: string): Promise<void> {
    await this.#eval(INDEX_DELETE_SCRIPT, [name, onlyKey ?? ""]);
  }

  async sweep(now: number, limit: number): Promise<number> {
    return (await this.#eval(SWEEP_SCRIPT, [now, limit])) as number;
  }

  async scan(cursor: string | null, limit: number): Promise<ScanPage> {
    const match = `${this.#p}r:*`;
    const prefixLength = this.#p.length + 2;
    let position = cursor ?? "0";
    const records: StoredRecord[] = [];
    // SCAN may hand back empty batches; keep going until a page fills or the walk ends.
    do {
      const [nextPosition, names] = await this.#redis.scan(position, "MATCH", match, "COUNT", Math.max(limit, 10));
      position = nextPosition;
      for (const name of names) {
        const rest = name.slice(prefixLength);
        const colon = rest.indexOf(":");
        const kind = rest.slice(0, colon) as RecordKind;
        const key = rest.slice(colon + 1);
        const f = (await this.#redis.hmgetBuffer(name, "b", "v", "e", "l", "o")) as (Buffer | null)[];
        if (f[1] === null || f[1] === undefined) continue;
        records.push(fieldsToRecord(kind, key, f as Fields));
      }
    } while (position !== "0" && records.length < limit);
    return { records, next: position === "0" ? null : position };
  }

  async appendAudit(event: AuditEvent, maxEvents?: number): Promise<void> {
    await this.#eval(APPEND_AUDIT_SCRIPT, [event.at, auditBody(event), maxEvents ?? ""]);
  }

  async pruneAudit(before: number): Promise<number> {
    const [events, denied] = await Promise.all([
      this.#redis.zremrangebyscore(`${this.#p}audit`, "-inf", `(${before}`),
      this.#eval(PRUNE_DENIED_SCRIPT, [before]) as Promise<number>,
    ]);
    return events + denied;
  }

  async recordDenied(entries: readonly DeniedAggregate[], maxAggregates: number): Promise<void> {
    const args = entries.flatMap((e) => [e.minute, e.network, e.reason, e.count, e.firstAt, e.lastAt]);
    await this.#eval(DENIED_SCRIPT, [maxAggregates, ...args]);
  }

  async readDenied(since: number, limit: number): Promise<DeniedAggregate[]> {
    const all = await this.#redis.hgetall(`${this.#p}audit:denied`);
    const rows: DeniedAggregate[] = [];
    for (const [id, value] of Object.entries(all)) {
      const [minute, network = "", reason = ""] = id.split(" ");
      const [count, firstAt, lastAt] = value.split(" ").map(Number);
      if (Number(minute) < since) continue;
      rows.push({ minute: Number(minute), network, reason, count: count!, firstAt: firstAt!, lastAt: lastAt! });
    }
    rows.sort((a, b) => a.minute - b.minute || a.firstAt - b.firstAt);
    return rows.slice(0, limit);
  }

  async readAudit(since: number, limit: number): Promise<AuditEvent[]> {
    const members = await this.#redis.zrangebyscore(`${this.#p}audit`, since, "+inf", "LIMIT", 0, limit);
    return members.map((member) => {
      const [at, actor, action, target, outcome, tenant, metadata] = JSON.parse(
        member.slice(member.indexOf(" ") + 1),
      ) as [number, string, string, string | null, string, string | null, Record<string, unknown>?];
      return { at, actor, action, target, outcome, tenant, ...(metadata === undefined ? {} : { metadata }) };
    });
  }

  async loadKeys(): Promise<WrappedKey[]> {
    const all = await this.#redis.hgetall(`${this.#p}keys`);
    return Object.values(all)
      .map((json) => {
        const k = JSON.parse(json) as Omit<WrappedKey, "wrapped"> & { wrapped: string };
        return { ...k, wrapped: new Uint8Array(Buffer.from(k.wrapped, "base64")) };
      })
      .sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
  }

  async saveKey(key: WrappedKey): Promise<void> {
    // The state first, so the script can keep a later stored state without re-encoding.
    const { state, ...rest } = key;
    const json = JSON.stringify({ state, ...rest, wrapped: Buffer.from(key.wrapped).toString("base64") });
    await this.#eval(SAVE_KEY_SCRIPT, [key.id, json, KEY_STATE_RANK[state]]);
  }

  async ping(): Promise<void> {
    if (this.#redis.status === "wait") await this.#redis.connect();
    await this.#redis.ping();
  }

  async close(): Promise<void> {
    if (this.#redis.status === "end" || this.#redis.status === "wait") {
      this.#redis.disconnect();
      return;
    }
    await this.#redis.quit();
  }
}

/**
 * Create the Redis driver. Call `init()` once before use; it connects and checks the server.
 *
 * @example
 * ```ts
 * const storage = createRedisDriver({ url: "redis://cache:6379/0" });
 * await storage.init();
 * ```
 */
export function createRedisDriver(options: RedisDriverOptions): RedisDriver {
  return new RedisDriver(options);
}

import { randomBytes, randomInt } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  type RunningVault,
  type ServiceHandle,
  startPostgres,
  startRedis,
  startVault,
} from "@sessionvault/test-services";
import { Redis } from "ioredis";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { call, sharedVaultEnv } from "../storage/vault-http.js";

/** A Luhn-valid 16-digit card number nobody else in the run uses. */
function cardNumber(): string {
  const digits = [4, ...Array.from({ length: 14 }, () => randomInt(10))];
  const sum = digits
    .slice()
    .reverse()
    .reduce((acc, d, i) => acc + (i % 2 === 0 ? (d * 2 > 9 ? d * 2 - 9 : d * 2) : d), 0);
  return [...digits, (10 - (sum % 10)) % 10].join("");
}

/** Writes sessions, a profile and tokens through the real API; returns every plaintext that went in. */
async function writeSecrets(vault: RunningVault): Promise<string[]> {
  const tag = randomBytes(5).toString("hex");
  const email = `marie.curie.${tag}@example.org`;
  const phone = `+3361${randomInt(1_000_000, 9_999_999)}`;
  const name = `Marie Sklodowska ${tag}`;
  const login = `mcurie_${tag}`;
  const card = cardNumber();
  const ssn = `${randomInt(100, 899)}-${randomInt(10, 99)}-${randomInt(1000, 9999)}`;
  const sessionIds = Array.from({ length: 4 }, () => `sid-${randomBytes(18).toString("base64url")}`);
  const note = `plaintext-session-note-${tag}`;
  const ip = `203.0.113.${randomInt(1, 254)}`;

  const user = await call(vault.url, vault.token, "UserCreate", {
    profile: { login, email, phone, name, address: { city: `Warsaw-${tag}` } },
    request_metadata: { customer: email },
  });
  expect(user.status).toBe(200);
  const usertoken = user.body.token as string;
  for (const id of sessionIds) {
    const r = await call(vault.url, vault.token, "SessionUpsert", {
      sessionuuid: id,
      sessiondata: { email, name, ip, note, card, nested: { phone } },
      slidingtime: "1h",
      usertoken,
    });
    expect(r.status).toBe(200);
  }
  const single = await call(vault.url, vault.token, "TokenCreate", { tokentype: "creditcard", record: card });
  expect(single.status).toBe(200);
  const bulk = await call(vault.url, vault.token, "TokenCreateBulk", {
    records: [
      { tokentype: "ssn", record: ssn },
      { tokentype: "email", record: email },
      { tokentype: "phone", record: phone },
    ],
    unique: true,
  });
  expect(bulk.status).toBe(200);

  // The vault really holds all of it: the grep below looks for data that is there.
  const read = await call(vault.url, vault.token, "SessionGet", { sessionuuid: sessionIds[0] });
  expect(read.body.sessiondata).toEqual({ email, name, ip, note, card, nested: { phone } });
  expect(
    (await call(vault.url, vault.token, "UserGet", { mode: "email", identity: email })).body.profile,
  ).toMatchObject({
    login,
  });
  expect((await call(vault.url, vault.token, "TokenGet", { token: single.body.tokenuuid })).body.record).toBe(card);

  return [
    email,
    phone,
    phone.slice(1),
    name,
    login,
    card,
    card.slice(0, 12),
    ssn,
    note,
    ip,
    `Warsaw-${tag}`,
    ...sessionIds,
  ];
}

/** Which of `secrets` occur in `bytes` (as raw UTF-8). */
function found(bytes: Buffer | string, secrets: string[]): string[] {
  const haystack = typeof bytes === "string" ? bytes : bytes.toString("latin1");
  return secrets.filter((s) => haystack.includes(s));
}

describe("at rest, storage holds no plaintext", () => {
  it("sqlite: the database file and its WAL contain no session data, PII, card numbers or session ids", async () => {
    const vault = await startVault({ driver: "sqlite", env: sharedVaultEnv({}) });
    try {
      const secrets = await writeSecrets(vault);
      const readAll = () =>
        readdirSync(vault.dataDir)
          .filter((f) => f.startsWith("vault.db"))
          .map((f) => readFileSync(join(vault.dataDir, f)));
      // While running, recent writes sit in the WAL; after a clean stop, in the main file.
      const running = readAll();
      expect(running.length).toBeGreaterThanOrEqual(2);
      for (const file of running) expect(found(file, secrets)).toEqual([]);
      await vault.stop();
      const stopped = Buffer.concat(readAll());
      expect(stopped.toString("latin1")).toContain("CREATE TABLE");
      expect(found(stopped, secrets)).toEqual([]);
      expect(found(vault.logs(), secrets)).toEqual([]);
    } finally {
      await vault.destroy();
    }
  });

  it("postgres: no table row contains any of it", async () => {
    const server: ServiceHandle = await startPostgres();
    const vault = await startVault({
      driver: "postgres",
      env: sharedVaultEnv({ SESSIONVAULT_DATABASE_URL: server.url }),
    });
    const client = new pg.Client({ connectionString: server.url });
    try {
      const secrets = await writeSecrets(vault);
      await client.connect();
      // A control row with a known plaintext proves the dump below would see one.
      const control = `control-${randomBytes(6).toString("hex")}`;
      await client.query("CREATE TABLE at_rest_control (v bytea)");
      await client.query("INSERT INTO at_rest_control VALUES ($1)", [Buffer.from(control)]);
      let controlSeen = false;
      const tables = await client.query<{ table_name: string }>(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
      );
      expect(tables.rows.length).toBeGreaterThanOrEqual(4);
      let rows = 0;
      for (const { table_name } of tables.rows) {
        const dump = await client.query(`SELECT * FROM "${table_name}"`);
        rows += dump.rows.length;
        for (const row of dump.rows as Record<string, unknown>[]) {
          for (const value of Object.values(row)) {
            const bytes = Buffer.isBuffer(value) ? value : Buffer.from(String(value));
            if (found(bytes, [control]).length) controlSeen = true;
            expect(found(bytes, secrets), `${table_name}`).toEqual([]);
          }
        }
      }
      expect(controlSeen).toBe(true);
      // 4 sessions, 1 profile, 4 tokens, their indexes, a data key and audit events.
      expect(rows).toBeGreaterThanOrEqual(10);
      expect(found(vault.logs(), secrets)).toEqual([]);
    } finally {
      await client.end().catch(() => {});
      await vault.destroy();
      await server.stop();
    }
  });

  it("redis: no key name, value or DUMP contains any of it", async () => {
    const server: ServiceHandle = await startRedis();
    const vault = await startVault({ driver: "redis", env: sharedVaultEnv({ SESSIONVAULT_REDIS_URL: server.url }) });
    const redis = new Redis(server.url);
    try {
      const secrets = await writeSecrets(vault);
      // A control value with a known plaintext proves the walk below would see one.
      const control = `control-${randomBytes(6).toString("hex")}`;
      await redis.hset("at-rest-control", "v", control);
      let controlSeen = false;
      let cursor = "0";
      let keys = 0;
      do {
        const [next, names] = await redis.scanBuffer(cursor, "COUNT", 500);
        cursor = next.toString();
        for (const name of names) {
          keys++;
          const parts: Buffer[] = [name];
          const dumped = await redis.dumpBuffer(name);
          if (dumped) parts.push(dumped);
          const type = await redis.type(name);
          if (type === "string") parts.push((await redis.getBuffer(name)) ?? Buffer.alloc(0));
          else if (type === "hash") parts.push(...Object.values(await redis.hgetallBuffer(name)));
          else if (type === "zset") parts.push(...(await redis.zrangeBuffer(name, 0, -1)));
          else if (type === "set") parts.push(...(await redis.smembersBuffer(name)));
          else if (type === "list") parts.push(...(await redis.lrangeBuffer(name, 0, -1)));
          const all = Buffer.concat(parts);
          if (found(all, [control]).length) controlSeen = true;
          expect(found(all, secrets), name.toString()).toEqual([]);
        }
      } while (cursor !== "0");
      expect(controlSeen).toBe(true);
      expect(keys).toBeGreaterThanOrEqual(10);
      expect(found(vault.logs(), secrets)).toEqual([]);
    } finally {
      redis.disconnect();
      await vault.destroy();
      await server.stop();
    }
  });
});

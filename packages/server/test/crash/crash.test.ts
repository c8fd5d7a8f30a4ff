import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { isDeepStrictEqual } from "node:util";
import {
  type RunningVault,
  type ServiceHandle,
  startLocalRedis,
  startPostgres,
  startVault,
} from "@sessionvault/test-services";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, sessionId, sharedVaultEnv } from "../storage/vault-http.js";

interface Backend {
  /** How the describe block names it. */
  name: string;
  driver: "sqlite" | "postgres";
  /** What the vault's listening line must say about its settings. */
  listening?: string;
  setup(): Promise<Record<string, string>>;
  /** Rewrites the stored session blobs; `edit` gets them all and returns the new ones. */
  editBlobs(vault: RunningVault, edit: (blobs: Buffer[]) => Buffer[]): Promise<void>;
  teardown(): Promise<void>;
}

let pgServer: ServiceHandle | undefined;

const sqliteBackend = (durability: "fsync" | "process"): Backend => ({
  name: `sqlite with durability "${durability}"`,
  driver: "sqlite",
  listening: `"durability":"${durability}"`,
  // Both modes promise that an acknowledged write survives kill -9 of the vault.
  setup: async () => ({ SESSIONVAULT_DURABILITY: durability }),
  async editBlobs(vault, edit) {
    const db = new DatabaseSync(join(vault.dataDir, "vault.db"));
    try {
      const rows = db.prepare("SELECT key, blob FROM records WHERE kind = 'session' ORDER BY key").all() as {
        key: string;
        blob: Uint8Array;
      }[];
      const edited = edit(rows.map((r) => Buffer.from(r.blob)));
      const update = db.prepare("UPDATE records SET blob = ? WHERE kind = 'session' AND key = ?");
      for (const [i, r] of rows.entries()) update.run(edited[i]!, r.key);
    } finally {
      db.close();
    }
  },
  teardown: async () => {},
});

const backends: Backend[] = [
  sqliteBackend("fsync"),
  sqliteBackend("process"),
  {
    name: "postgres",
    driver: "postgres",
    async setup() {
      pgServer = await startPostgres();
      return { SESSIONVAULT_DATABASE_URL: pgServer.url };
    },
    async editBlobs(_vault, edit) {
      const client = new pg.Client({ connectionString: pgServer!.url });
      await client.connect();
      try {
        const { rows } = await client.query<{ key: string; blob: Buffer }>(
          "SELECT key, blob FROM sv_records WHERE kind = 'session' ORDER BY key",
        );
        const edited = edit(rows.map((r) => r.blob));
        for (const [i, r] of rows.entries()) {
          await client.query("UPDATE sv_records SET blob = $1 WHERE kind = 'session' AND key = $2", [edited[i], r.key]);
        }
      } finally {
        await client.end();
      }
    },
    teardown: async () => {
      await pgServer?.stop();
    },
  },
];

describe.each(backends)("crash safety on $name", (backend) => {
  // One key and token for the file: both cases may meet the same PostgreSQL database.
  let env: Record<string, string>;
  beforeAll(async () => {
    env = sharedVaultEnv(await backend.setup());
  }, 120_000);
  afterAll(() => backend.teardown(), 60_000);

  it("every acknowledged upsert reads back intact after kill -9 in the middle of a burst", async () => {
    const vault = await startVault({ driver: backend.driver, env });
    try {
      if (backend.listening) expect(vault.logs()).toContain(backend.listening);
      const acknowledged = new Map<string, { writer: number; seq: number; payload: string }>();
      // Per writer, one hot session rewritten again and again: it must come back at least
      // at its last acknowledged version, never older.
      const hot = Array.from({ length: 12 }, (_, w) => ({ id: sessionId(`hot${w}`), acked: 0, attempted: 0 }));
      let killed = false;
      let lostInFlight = 0;
      const writer = async (w: number) => {
        for (let seq = 1; !killed; seq++) {
          const id = seq % 4 === 0 ? hot[w]!.id : sessionId(`w${w}`);
          const data = { writer: w, seq, payload: randomBytes(96).toString("hex") };
          if (id === hot[w]!.id) hot[w]!.attempted = seq;
          try {
            const r = await call(vault.url, vault.token, "SessionUpsert", { sessionuuid: id, sessiondata: data });
            if (r.status !== 200) throw new Error(`upsert answered ${r.status}`);
            if (id === hot[w]!.id) hot[w]!.acked = seq;
            else acknowledged.set(id, data);
          } catch (error) {
            if (!killed) throw error;
            lostInFlight++;
            return;
          }
          if (!killed && acknowledged.size >= 400) {
            killed = true;
            vault.kill();
          }
        }
      };
      await Promise.all(hot.map((_, w) => writer(w)));
      // The kill hit writes that were on the wire, not an idle vault.
      expect(lostInFlight).toBeGreaterThan(0);
      expect(acknowledged.size).toBeGreaterThanOrEqual(400);

      await vault.restart();
      const ids = [...acknowledged.keys()];
      const lost: string[] = [];
      for (let i = 0; i < ids.length; i += 25) {
        const replies = await Promise.all(
          ids.slice(i, i + 25).map((id) => call(vault.url, vault.token, "SessionGet", { sessionuuid: id })),
        );
        replies.forEach((r, j) => {
          if (r.status !== 200 || !isDeepStrictEqual(r.body.sessiondata, acknowledged.get(ids[i + j]!)))
            lost.push(ids[i + j]!);
        });
      }
      for (const h of hot) {
        if (h.acked === 0) continue;
        const r = await call(vault.url, vault.token, "SessionGet", { sessionuuid: h.id });
        const seq = r.status === 200 ? (r.body.sessiondata as { seq: number }).seq : 0;
        if (seq < h.acked || seq > h.attempted) lost.push(h.id);
      }
      console.log(
        `kill-9 driver=${backend.name} acknowledged=${ids.length + hot.filter((h) => h.acked > 0).length} in_flight=${lostInFlight} lost=${lost.length}`,
      );
      expect(lost).toEqual([]);
    } finally {
      await vault.destroy();
    }
  });

  it("tampered, torn or moved ciphertext reads as an integrity error, never as data", async () => {
    const vault = await startVault({ driver: backend.driver, env });
    try {
      const ids = [sessionId("tamper"), sessionId("torn"), sessionId("moved")];
      for (const [i, id] of ids.entries()) {
        expect(
          (
            await call(vault.url, vault.token, "SessionUpsert", {
              sessionuuid: id,
              sessiondata: { secret: `value-${i}` },
            })
          ).status,
        ).toBe(200);
      }
      await vault.stop();
      let before: Buffer[] = [];
      await backend.editBlobs(vault, (blobs) => {
        before = blobs;
        const sessionBlobs = blobs.map((b) => Buffer.from(b));
        const n = sessionBlobs.length;
        // Every stored session is damaged (on PostgreSQL that includes the burst's rows):
        // a flipped bit, a blob cut in half, or another row's intact ciphertext.
        return sessionBlobs.map((b, i) => {
          if (i % 3 === 0) {
            const flipped = Buffer.from(b);
            const at = flipped.length - 20;
            flipped[at] = flipped[at]! ^ 0x01;
            return flipped;
          }
          if (i % 3 === 1) return b.subarray(0, Math.floor(b.length / 2));
          return sessionBlobs[(i + 1) % n]!;
        });
      });
      expect(before.length).toBeGreaterThanOrEqual(3);
      await vault.restart();
      for (const id of ids) {
        const r = await call(vault.url, vault.token, "SessionGet", { sessionuuid: id });
        expect(r).toEqual({ status: 500, body: { status: "error", message: "record integrity check failed" } });
      }
      // The vault keeps serving: health, and fresh writes and reads.
      expect((await fetch(`${vault.url}/healthz`)).status).toBe(200);
      const fresh = sessionId("after");
      expect(
        (await call(vault.url, vault.token, "SessionUpsert", { sessionuuid: fresh, sessiondata: { ok: 1 } })).status,
      ).toBe(200);
      expect((await call(vault.url, vault.token, "SessionGet", { sessionuuid: fresh })).body.sessiondata).toEqual({
        ok: 1,
      });
    } finally {
      await vault.destroy();
    }
  });
});

describe("crash safety on redis with appendfsync always", () => {
  it("every acknowledged upsert survives kill -9 of Redis itself, and the vault recovers without a restart", async () => {
    const redis = await startLocalRedis({ appendOnly: true });
    const vault = await startVault({ driver: "redis", env: sharedVaultEnv({ SESSIONVAULT_REDIS_URL: redis.url }) });
    try {
      const acknowledged = new Map<string, { writer: number; seq: number }>();
      let killed = false;
      const writer = async (w: number) => {
        for (let seq = 1; !killed; seq++) {
          const id = sessionId(`r${w}`);
          const data = { writer: w, seq };
          const r = await call(vault.url, vault.token, "SessionUpsert", { sessionuuid: id, sessiondata: data });
          if (r.status === 200) acknowledged.set(id, data);
          else if (!killed) throw new Error(`upsert answered ${r.status} before the crash`);
          if (!killed && acknowledged.size >= 300) {
            killed = true;
            redis.kill();
          }
        }
      };
      await Promise.all(Array.from({ length: 8 }, (_, w) => writer(w)));
      // While Redis is down the vault answers errors, never a false acknowledgement.
      const during = await call(vault.url, vault.token, "SessionUpsert", {
        sessionuuid: sessionId("down"),
        sessiondata: {},
      });
      expect(during.status).toBeGreaterThanOrEqual(500);

      await redis.restart();
      let ready = 0;
      for (let i = 0; i < 100 && ready !== 200; i++) {
        ready = (await fetch(`${vault.url}/readyz`)).status;
        if (ready !== 200) await new Promise((r) => setTimeout(r, 100));
      }
      expect(ready).toBe(200);
      for (const [id, data] of acknowledged) {
        const r = await call(vault.url, vault.token, "SessionGet", { sessionuuid: id });
        expect(r.status).toBe(200);
        expect(r.body.sessiondata).toEqual(data);
      }
    } finally {
      await vault.destroy();
      await redis.stop();
    }
  });
});

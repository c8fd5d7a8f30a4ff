import { Socket } from "node:net";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { freePort, type ServiceHandle, startPostgres, startRedis } from "../src/index.js";

/** One raw RESP exchange: enough to see a real Redis answer without a client library. */
function redisSay(url: string, ...args: string[]): Promise<string> {
  const { hostname, port, pathname } = new URL(url);
  const db = pathname.slice(1);
  const commands = [...(db ? [["SELECT", db]] : []), args];
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    let text = "";
    socket.on("error", reject);
    socket.on("data", (chunk) => {
      text += chunk.toString();
      if (!text.endsWith("\r\n")) return;
      // Simple replies are one line; a bulk reply ($n, n >= 0) is its length line plus the value.
      const lines = text.slice(0, -2).split("\r\n");
      const replies: string[] = [];
      for (let i = 0; i < lines.length; i++) {
        const line = lines[i]!;
        if (line.startsWith("$") && line !== "$-1") {
          if (i + 1 >= lines.length) return;
          replies.push(lines[++i]!);
        } else replies.push(line);
      }
      if (replies.length >= commands.length) {
        socket.end();
        resolve(replies.at(-1)!);
      }
    });
    socket.connect(Number(port), hostname, () => {
      socket.write(
        commands.map((c) => `*${c.length}\r\n${c.map((a) => `$${a.length}\r\n${a}\r\n`).join("")}`).join(""),
      );
    });
  });
}

const refused = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = new Socket();
    socket.once("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", () => resolve(true));
    socket.connect(port, "127.0.0.1");
  });

describe("throwaway services", () => {
  const started: ServiceHandle[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((s) => s.stop()));
  }, 60_000);

  it("freePort hands out a bindable port that is not a default service port", async () => {
    const port = await freePort();
    expect(port).toBeGreaterThan(1024);
    expect([5432, 6379]).not.toContain(port);
    expect(await refused(port)).toBe(true);
  });

  it("startPostgres runs a real PostgreSQL on a free loopback port and stop() shuts it down", async () => {
    const server = await startPostgres();
    started.push(server);
    const url = new URL(server.url);
    expect(url.hostname).toBe("127.0.0.1");
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    const { rows } = await client.query<{ v: string }>("SELECT current_setting('server_version_num') AS v");
    await client.end();
    expect(Number(rows[0]!.v)).toBeGreaterThanOrEqual(130000);
    if (!process.env.SV_PG_URL) {
      expect(url.port).not.toBe("5432");
      await server.stop();
      expect(await refused(Number(url.port))).toBe(true);
    }
  }, 90_000);

  it("startRedis runs a real Redis on a free loopback port and stop() shuts it down", async () => {
    const server = await startRedis();
    started.push(server);
    expect(await redisSay(server.url, "SET", "k", "v")).toBe("+OK");
    expect(await redisSay(server.url, "GET", "k")).toBe("v");
    if (!process.env.SV_REDIS_URL) {
      const port = Number(new URL(server.url).port);
      expect(port).not.toBe(6379);
      await server.stop();
      expect(await refused(port)).toBe(true);
    }
  }, 60_000);

  it("on a shared SV_REDIS_URL, callers get distinct, emptied logical databases", async () => {
    const shared = await startRedis();
    started.push(shared);
    const before = process.env.SV_REDIS_URL;
    process.env.SV_REDIS_URL = shared.url;
    try {
      const a = await startRedis();
      const b = await startRedis();
      expect(a.url).not.toBe(b.url);
      await redisSay(a.url, "SET", "left-over", "1");
      expect(await redisSay(b.url, "EXISTS", "left-over")).toBe(":0");
      await a.stop();
      expect(await redisSay(a.url, "EXISTS", "left-over")).toBe(":0");
      await b.stop();
    } finally {
      if (before === undefined) delete process.env.SV_REDIS_URL;
      else process.env.SV_REDIS_URL = before;
    }
  }, 60_000);

  it("on a shared SV_PG_URL, each caller gets a fresh database that stop() drops", async () => {
    const shared = await startPostgres();
    started.push(shared);
    const before = process.env.SV_PG_URL;
    process.env.SV_PG_URL = shared.url;
    try {
      const a = await startPostgres();
      const name = new URL(a.url).pathname.slice(1);
      expect(name).toMatch(/^sv_test_[0-9a-f]{12}$/);
      const client = new pg.Client({ connectionString: a.url });
      await client.connect();
      const tables = await client.query(
        "SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public'",
      );
      await client.end();
      expect(tables.rows[0].n).toBe(0);
      await a.stop();
      const admin = new pg.Client({ connectionString: shared.url });
      await admin.connect();
      const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
      await admin.end();
      expect(exists.rowCount).toBe(0);
    } finally {
      if (before === undefined) delete process.env.SV_PG_URL;
      else process.env.SV_PG_URL = before;
    }
  }, 90_000);
});

import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const CLI = join(import.meta.dirname, "..", "..", "dist", "cli.js");
const dirs: string[] = [];
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function tempDir() {
  const dir = mkdtempSync(join(tmpdir(), "sv-cli-test-"));
  dirs.push(dir);
  return dir;
}

interface Run {
  child: ChildProcess;
  url: Promise<string>;
  exit: Promise<number | null>;
  out: () => string;
}

function run(args: string[], env: Record<string, string> = {}): Run {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let out = "";
  child.stdout!.on("data", (c: Buffer) => {
    out += c.toString();
  });
  child.stderr!.on("data", (c: Buffer) => {
    out += c.toString();
  });
  const exit = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const url = new Promise<string>((resolve, reject) => {
    const check = () => {
      for (const line of out.split("\n")) {
        try {
          const parsed = JSON.parse(line) as { msg?: string; url?: string };
          if (parsed.msg === "listening" && parsed.url) return resolve(parsed.url);
        } catch {}
      }
    };
    child.stdout!.on("data", check);
    exit.then((code) => reject(new Error(`exited ${code}: ${out}`)));
  });
  url.catch(() => {});
  return { child, url, exit, out: () => out };
}

function productionEnv(dir: string, extra: Record<string, string> = {}) {
  return {
    SESSIONVAULT_SQLITE_PATH: join(dir, "vault.db"),
    SESSIONVAULT_ACCESS_TOKENS: `app:${randomBytes(24).toString("base64url")}`,
    SESSIONVAULT_MASTER_KEY: randomBytes(32).toString("base64"),
    SESSIONVAULT_PORT: "0",
    ...extra,
  };
}

/** The plain-words banner of `sessionvault dev`: its URL line, once printed. */
async function bannerUrl(dev: Run): Promise<string> {
  for (let i = 0; i < 300; i++) {
    const url = /SESSIONVAULT_URL=(\S+)/.exec(dev.out())?.[1];
    if (url) return url;
    if (dev.child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no banner: ${dev.out()}`);
}

describe("sessionvault dev", () => {
  it("says in plain words where it is, its token and the lines to paste into the app, and serves with the demo token", async () => {
    const dev = run(["dev", "--port", "0", "--data-dir", tempDir()]);
    const url = await bannerUrl(dev);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(dev.out()).toContain("THROWAWAY vault");
    expect(dev.out()).toContain(`URL:    ${url}`);
    expect(dev.out()).toContain("token:  DEMO");
    expect(dev.out()).toContain(`    SESSIONVAULT_URL=${url}\n    SESSIONVAULT_TOKEN=DEMO\n`);
    // People read text lines under dev, not JSON.
    expect(dev.out()).toMatch(/^\d\d:\d\d:\d\d info listening url=/m);
    expect(dev.out()).not.toMatch(/^\{"level"/m);
    const res = await fetch(`${url}/v2/SessionUpsert`, {
      method: "POST",
      headers: { "x-bunker-token": "DEMO" },
      body: JSON.stringify({ sessionuuid: "cli-dev-0001", sessiondata: {} }),
    });
    expect(res.status).toBe(200);
    dev.child.kill("SIGTERM");
    expect(await dev.exit).toBe(0);
  });

  it("keeps structured JSON lines available with --log-format json", async () => {
    const dev = run(["dev", "--port", "0", "--data-dir", tempDir(), "--log-format", "json"]);
    expect(await dev.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    dev.child.kill("SIGTERM");
    expect(await dev.exit).toBe(0);
  });

  it("removes the throwaway data folder it made when it stops, and keeps one the user chose", async () => {
    const dev = run(["dev", "--port", "0"]);
    await bannerUrl(dev);
    const dataDir = /data:\s+(\S+)\s+\(removed when this vault stops\)/.exec(dev.out())?.[1];
    expect(dataDir).toBeTruthy();
    expect(existsSync(dataDir as string)).toBe(true);
    dev.child.kill("SIGINT");
    expect(await dev.exit).toBe(0);
    expect(existsSync(dataDir as string)).toBe(false);

    const chosen = tempDir();
    const kept = run(["dev", "--port", "0", "--data-dir", chosen]);
    await bannerUrl(kept);
    expect(kept.out()).toContain("(kept: you chose this folder)");
    kept.child.kill("SIGTERM");
    expect(await kept.exit).toBe(0);
    expect(existsSync(join(chosen, "vault.db"))).toBe(true);
  });

  it("listens on 4700 by default, clear of Next.js's 3000", () => {
    const usage = execFileSync(process.execPath, [CLI, "--help"], { encoding: "utf8" });
    expect(usage).toContain("The default port is 4700");
  });
});

describe("sessionvault start reports every refusal at once", () => {
  it("one readable line per problem, each with its fix, and no JSON", async () => {
    const dir = tempDir();
    const start = run(["start", "--durability", "sometimes"], {
      ...productionEnv(dir),
      SESSIONVAULT_MASTER_KEY: "not-a-key",
      SESSIONVAULT_ACCESS_TOKENS: "app:short",
      SESSIONVAULT_HOST: "0.0.0.0",
    });
    expect(await start.exit).toBe(1);
    const lines = start.out().trim().split("\n");
    expect(lines).toHaveLength(4);
    for (const line of lines) expect(line).toMatch(/^sessionvault: /);
    expect(start.out()).toMatch(/openssl rand -base64 32/);
    expect(start.out()).toMatch(/shorter than 16 characters: choose a random one/);
    expect(start.out()).toMatch(/refusing plain HTTP on 0\.0\.0\.0/);
    expect(start.out()).toMatch(/--durability must be "fsync"/);
    expect(start.out()).not.toContain("not-a-key");
  });
});

describe("sessionvault start with a config file that is not valid JSON", () => {
  it("names the file and the line, never the content around the error", async () => {
    const dir = tempDir();
    const secret = randomBytes(32).toString("base64");
    const token = randomBytes(24).toString("base64url");
    const file = join(dir, "vault.json");
    // Unquoted values: the parser's own message would quote the text around them.
    writeFileSync(
      file,
      `{\n  "port": 0,\n  "masterKey": ${secret},\n  "accessTokens": [{"id": "app", "token": ${token}}]\n}\n`,
    );
    const env = productionEnv(dir);
    delete (env as Record<string, string>).SESSIONVAULT_MASTER_KEY;
    const started = run(["start", "--config", file], env);
    expect(await started.exit).toBe(1);
    expect(started.out()).toContain(`config file ${file}: not valid JSON at line 3`);
    for (const fragment of [secret.slice(0, 6), token.slice(0, 6), "masterKey"]) {
      expect(started.out()).not.toContain(fragment);
    }
  });
});

describe("sessionvault start refuses weak settings", () => {
  const cases: [string, (dir: string) => Record<string, string>, RegExp][] = [
    ["no master key", (d) => ({ ...productionEnv(d), SESSIONVAULT_MASTER_KEY: "" }), /no master key/],
    [
      "a malformed master key",
      (d) => ({ ...productionEnv(d), SESSIONVAULT_MASTER_KEY: "c2hvcnQ=" }),
      /32 random bytes in base64/,
    ],
    ["the demo token", (d) => ({ ...productionEnv(d), SESSIONVAULT_ACCESS_TOKENS: "app:DEMO" }), /demo token/],
    ["a short token", (d) => ({ ...productionEnv(d), SESSIONVAULT_ACCESS_TOKENS: "app:short" }), /shorter than 16/],
    ["no token", (d) => ({ ...productionEnv(d), SESSIONVAULT_ACCESS_TOKENS: "" }), /no access tokens/],
    [
      "an all-zero master key",
      (d) => ({ ...productionEnv(d), SESSIONVAULT_MASTER_KEY: Buffer.alloc(32).toString("base64") }),
      /master key is not random/,
    ],
    [
      "a repeated-pattern master key",
      (d) => ({ ...productionEnv(d), SESSIONVAULT_MASTER_KEY: Buffer.alloc(32, "ab").toString("base64") }),
      /master key is not random/,
    ],
    [
      "a low-entropy token",
      (d) => ({ ...productionEnv(d), SESSIONVAULT_ACCESS_TOKENS: `app:${"a".repeat(40)}` }),
      /too easy to guess/,
    ],
    [
      "a repeated-pattern token",
      (d) => ({ ...productionEnv(d), SESSIONVAULT_ACCESS_TOKENS: `app:${"ab12".repeat(8)}` }),
      /too easy to guess/,
    ],
    [
      "an audit cap that is not a positive integer",
      (d) => productionEnv(d, { SESSIONVAULT_AUDIT_MAX_EVENTS: "0", SESSIONVAULT_AUDIT_MAX_DENIED: "many" }),
      /--audit-max-events must be a positive integer[\s\S]*--audit-max-denied must be a positive integer/,
    ],
    [
      "plain HTTP on a public interface",
      (d) => productionEnv(d, { SESSIONVAULT_HOST: "0.0.0.0" }),
      /refusing plain HTTP/,
    ],
  ];
  for (const [name, env, message] of cases) {
    it(`refuses ${name}`, async () => {
      const started = run(["start"], env(tempDir()));
      expect(await started.exit).toBe(1);
      expect(started.out()).toMatch(message);
    });
  }

  it("binds a public interface without TLS only with SESSIONVAULT_ALLOW_INSECURE_PUBLIC_HTTP=1", async () => {
    const started = run(
      ["start"],
      productionEnv(tempDir(), { SESSIONVAULT_HOST: "0.0.0.0", SESSIONVAULT_ALLOW_INSECURE_PUBLIC_HTTP: "1" }),
    );
    expect(await started.url).toMatch(/^http:\/\/0\.0\.0\.0:\d+$/);
    started.child.kill("SIGTERM");
    expect(await started.exit).toBe(0);
  });

  it("serves HTTPS on a public interface with --tls-cert/--tls-key", async () => {
    const dir = tempDir();
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=127.0.0.1",
        "-keyout",
        join(dir, "key.pem"),
        "-out",
        join(dir, "cert.pem"),
      ],
      { stdio: "ignore" },
    );
    const started = run(
      ["start", "--host", "0.0.0.0", "--tls-cert", join(dir, "cert.pem"), "--tls-key", join(dir, "key.pem")],
      productionEnv(dir),
    );
    const url = await started.url;
    expect(url).toMatch(/^https:\/\/0\.0\.0\.0:\d+$/);
    const port = new URL(url).port;
    const status = execFileSync("curl", [
      "-sk",
      "-o",
      "/dev/null",
      "-w",
      "%{http_code}",
      `https://127.0.0.1:${port}/healthz`,
    ]).toString();
    expect(status).toBe("200");
    started.child.kill("SIGTERM");
    expect(await started.exit).toBe(0);
  });
});

describe("sessionvault start in production", () => {
  it("caps the audit at --audit-max-events (flag over SESSIONVAULT_AUDIT_MAX_EVENTS)", async () => {
    const dir = tempDir();
    const env = productionEnv(dir, { SESSIONVAULT_AUDIT_MAX_EVENTS: "1000" });
    const token = env.SESSIONVAULT_ACCESS_TOKENS.split(":")[1]!;
    const started = run(["start", "--audit-max-events", "3"], env);
    const url = await started.url;
    for (let i = 0; i < 8; i++) {
      const res = await fetch(`${url}/v2/SessionUpsert`, {
        method: "POST",
        headers: { "x-bunker-token": token },
        body: JSON.stringify({ sessionuuid: `audit-cap-${i}-0000`, sessiondata: {} }),
      });
      expect(res.status).toBe(200);
    }
    started.child.kill("SIGTERM");
    expect(await started.exit).toBe(0);
    const { DatabaseSync } = await import("node:sqlite");
    const db = new DatabaseSync(join(dir, "vault.db"), { readOnly: true });
    const row = db.prepare("SELECT count(*) AS n FROM audit").get() as { n: number };
    db.close();
    expect(Number(row.n)).toBe(3);
  });

  it("reads a JSON config file with a master key file, flags overriding it", async () => {
    const dir = tempDir();
    const token = randomBytes(24).toString("base64url");
    writeFileSync(join(dir, "master.key"), `${randomBytes(32).toString("base64")}\n`, { mode: 0o600 });
    writeFileSync(
      join(dir, "vault.json"),
      JSON.stringify({
        storage: { driver: "sqlite", path: join(dir, "from-file.db") },
        accessTokens: [{ id: "file", token }],
        masterKeyFile: join(dir, "master.key"),
        port: 1,
        audit: { reads: 1 },
      }),
    );
    const started = run(["start", "--config", join(dir, "vault.json"), "--port", "0"]);
    const url = await started.url;
    const res = await fetch(`${url}/v2/SessionUpsert`, {
      method: "POST",
      headers: { "x-bunker-token": token },
      body: JSON.stringify({ sessionuuid: "from-config-1", sessiondata: {} }),
    });
    expect(res.status).toBe(200);
    expect(existsSync(join(dir, "from-file.db"))).toBe(true);
    started.child.kill("SIGTERM");
    expect(await started.exit).toBe(0);
  });

  it("drains an in-flight request on SIGTERM, then exits 0", async () => {
    const env = productionEnv(tempDir());
    const token = env.SESSIONVAULT_ACCESS_TOKENS.split(":")[1]!;
    const started = run(["start"], env);
    const url = new URL(await started.url);
    const body = JSON.stringify({ sessionuuid: "drain-sess-0001", sessiondata: { drained: true } });
    const socket = connect(Number(url.port), url.hostname);
    await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
    let reply = "";
    socket.on("data", (c) => {
      reply += c.toString();
    });
    const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
    socket.write(
      `POST /v2/SessionUpsert HTTP/1.1\r\nhost: x\r\nx-bunker-token: ${token}\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n${body.slice(0, 10)}`,
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    started.child.kill("SIGTERM");
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(started.child.exitCode).toBeNull();
    socket.write(body.slice(10));
    await closed;
    expect(reply).toMatch(/^HTTP\/1\.1 200/);
    expect(reply).toContain('{"status":"ok","version":1}');
    expect(await started.exit).toBe(0);
    expect(started.out()).toContain('"msg":"draining"');
  });

  it("logs structured lines that never contain tokens, keys, session ids, data or PII", async () => {
    const env = productionEnv(tempDir(), { SESSIONVAULT_LOG_LEVEL: "debug" });
    const token = env.SESSIONVAULT_ACCESS_TOKENS.split(":")[1]!;
    const started = run(["start"], env);
    const url = await started.url;
    const call = (op: string, body: unknown, headers: Record<string, string> = {}) =>
      fetch(`${url}${op}`, {
        method: "POST",
        headers: { "x-bunker-token": token, ...headers },
        body: JSON.stringify(body),
      });
    const secrets = ["log-secret-session-id", "secret-session-value", "logged.person@example.com", "4111111111111111"];
    await call("/v2/SessionUpsert", { sessionuuid: secrets[0], sessiondata: { v: secrets[1] } });
    await call("/v2/SessionGet", { sessionuuid: secrets[0] });
    await call("/v2/UserCreate", { profile: { email: secrets[2] } });
    await call("/v2/UserCreate", { profile: { email: secrets[2] } });
    await call("/v2/TokenCreate", { tokentype: "creditcard", record: secrets[3] });
    await call("/v2/SessionGet", { sessionuuid: secrets[0] }, { "x-bunker-token": `${token}x` });
    await fetch(`${url}/v1/session/${secrets[0]}`, { headers: { "x-bunker-token": token } });
    started.child.kill("SIGTERM");
    expect(await started.exit).toBe(0);
    const out = started.out();
    const lines = out.trim().split("\n");
    expect(lines.length).toBeGreaterThan(8);
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    expect(out).toContain('"op":"SessionUpsert"');
    for (const secret of [...secrets, token, env.SESSIONVAULT_MASTER_KEY]) expect(out).not.toContain(secret);
  });
});

import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

// The published entry point users run (`npx @sessionvault/server start`), not dist/cli.js.
const BIN = join(import.meta.dirname, "..", "..", "bin", "sessionvault.js");
const dirs: string[] = [];
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function start(nodeArgs: string[], args: string[], extraEnv: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), "sv-bin-test-"));
  dirs.push(dir);
  const token = randomBytes(24).toString("base64url");
  const child = spawn(process.execPath, [...nodeArgs, BIN, ...args], {
    env: {
      PATH: process.env.PATH ?? "",
      SESSIONVAULT_SQLITE_PATH: join(dir, "vault.db"),
      SESSIONVAULT_ACCESS_TOKENS: `app:${token}`,
      SESSIONVAULT_MASTER_KEY: randomBytes(32).toString("base64"),
      SESSIONVAULT_PORT: "0",
      ...extraEnv,
    },
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
  const listening = new Promise<{ url: string; pid: number; durability?: string }>((resolve, reject) => {
    child.stdout!.on("data", () => {
      for (const line of out.split("\n")) {
        try {
          const parsed = JSON.parse(line) as { msg?: string; url?: string; pid?: number; durability?: string };
          if (parsed.msg === "listening" && parsed.url && parsed.pid) {
            return resolve({ url: parsed.url, pid: parsed.pid, durability: parsed.durability });
          }
        } catch {}
      }
    });
    exit.then((code) => reject(new Error(`exited ${code}: ${out}`)));
  });
  listening.catch(() => {});
  return { child, token, listening, exit, out: () => out };
}

const commandLine = (pid: number) => readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");

describe("the sessionvault bin", () => {
  it("runs the vault in its own process with a 16 MiB young generation, and drains on SIGTERM", async () => {
    const vault = start([], ["start"]);
    const { url, pid } = await vault.listening;
    // Same process: a signal sent to what the user started reaches the vault itself.
    expect(pid).toBe(vault.child.pid);
    expect(commandLine(pid)).toContain("--max-semi-space-size=16");
    const res = await fetch(`${url}/v2/SessionUpsert`, {
      method: "POST",
      headers: { "x-bunker-token": vault.token },
      body: JSON.stringify({ sessionuuid: "bin-test-0001", sessiondata: { ok: true } }),
    });
    expect(res.status).toBe(200);
    vault.child.kill("SIGTERM");
    expect(await vault.exit).toBe(0);
    expect(vault.out()).toContain('"msg":"stopped"');
  });

  it("keeps a young-generation size the user chose", async () => {
    const vault = start(["--max-semi-space-size=4"], ["start"]);
    const { pid } = await vault.listening;
    const args = commandLine(pid);
    expect(args).toContain("--max-semi-space-size=4");
    expect(args).not.toContain("--max-semi-space-size=16");
    vault.child.kill("SIGTERM");
    expect(await vault.exit).toBe(0);
  });

  it("takes the durability from SESSIONVAULT_DURABILITY, and --durability over it", async () => {
    const fromEnv = start([], ["start"], { SESSIONVAULT_DURABILITY: "process" });
    expect((await fromEnv.listening).durability).toBe("process");
    fromEnv.child.kill("SIGTERM");
    expect(await fromEnv.exit).toBe(0);
    const fromFlag = start([], ["start", "--durability", "fsync"], { SESSIONVAULT_DURABILITY: "process" });
    expect((await fromFlag.listening).durability).toBe("fsync");
    fromFlag.child.kill("SIGTERM");
    expect(await fromFlag.exit).toBe(0);
  });

  it("refuses an unknown durability before opening storage", async () => {
    const vault = start([], ["start"], { SESSIONVAULT_DURABILITY: "sometimes" });
    expect(await vault.exit).toBe(1);
    expect(vault.out()).toContain('--durability must be "fsync" (survives power loss) or "process"');
  });
});

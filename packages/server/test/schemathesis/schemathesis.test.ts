import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type RunningVault, startVault } from "@sessionvault/test-services";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sharedVaultEnv } from "../storage/vault-http.js";

// schemathesis fuzzes the running vault from the contract: every operation, valid and
// invalid bodies; any 5xx or any reply that breaks the contract fails this test.
const SCHEMATHESIS = "4.32.5";
const here = dirname(fileURLToPath(import.meta.url));
const packageRoot = resolve(here, "../..");
const spec = resolve(packageRoot, "../../openapi/sessionvault.yaml");
const venv = join(packageRoot, "node_modules", ".cache", `schemathesis-${SCHEMATHESIS}`);
const st = join(venv, "bin", "st");

function ensureSchemathesis(): void {
  if (existsSync(st)) return;
  const python = ["python3", "python"].find((p) => spawnSync(p, ["--version"]).status === 0);
  if (!python) throw new Error("python3 is required for the schemathesis test: apt-get install python3 python3-venv");
  const venvMade = spawnSync(python, ["-m", "venv", venv], { encoding: "utf8" });
  if (venvMade.status !== 0) {
    throw new Error(`could not create a venv (apt-get install python3-venv):\n${venvMade.stderr}`);
  }
  const pip = spawnSync(join(venv, "bin", "pip"), ["install", "--quiet", `schemathesis==${SCHEMATHESIS}`], {
    encoding: "utf8",
    timeout: 300_000,
  });
  if (pip.status !== 0 || !existsSync(st)) {
    rmSync(venv, { recursive: true, force: true });
    throw new Error(`pip install schemathesis==${SCHEMATHESIS} failed:\n${pip.stderr}${pip.stdout}`);
  }
}

function run(
  cmd: string,
  args: string[],
  cwd: string,
  timeoutMs: number,
): Promise<{ code: number | null; output: string }> {
  return new Promise((done) => {
    const child = spawn(cmd, args, { cwd, env: { ...process.env, NO_COLOR: "1" } });
    let output = "";
    child.stdout.on("data", (c) => {
      output += c;
    });
    child.stderr.on("data", (c) => {
      output += c;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("exit", (code) => {
      clearTimeout(timer);
      done({ code, output });
    });
  });
}

describe("schemathesis against the running vault", () => {
  let vault: RunningVault;
  let work: string;

  beforeAll(async () => {
    ensureSchemathesis();
    work = mkdtempSync(join(tmpdir(), "sv-schemathesis-"));
    vault = await startVault({ driver: "sqlite", env: sharedVaultEnv({}) });
  }, 360_000);

  afterAll(async () => {
    await vault?.destroy();
    if (work) rmSync(work, { recursive: true, force: true });
  }, 60_000);

  it("finds no 5xx and no reply outside the contract", async () => {
    const { code, output } = await run(
      st,
      [
        "run",
        spec,
        "--url",
        vault.url,
        "--header",
        `X-Bunker-Token: ${vault.token}`,
        "--checks",
        "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance",
        "--max-examples",
        "20",
        "--seed",
        "20261122",
        "--workers",
        "1",
        "--request-timeout",
        "10",
        "--generation-with-security-parameters",
        "false",
        "--generation-database",
        "none",
        "--no-color",
        "--output-sanitize",
        "true",
      ],
      work,
      150_000,
    );
    expect(code, output.slice(-6000)).toBe(0);
    // It really ran: every operation, over a few hundred cases or more.
    const total = /Selected:\s+\d+\/(\d+)/.exec(output)?.[1];
    expect(total).toBeDefined();
    expect(/Tested:\s+(\d+)/.exec(output)?.[1]).toBe(total);
    expect(Number(/(\d+) generated/.exec(output)?.[1] ?? 0)).toBeGreaterThan(300);
    // The vault survived the whole run.
    expect((await fetch(`${vault.url}/healthz`)).status).toBe(200);
  }, 180_000);
});

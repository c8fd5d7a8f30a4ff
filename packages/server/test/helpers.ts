import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createValidators } from "../src/http/validate.js";
import { createVault, type Vault, type VaultConfig } from "../src/index.js";

export const TOKEN = "test-token-0123456789abcdef";
export const validators = createValidators();

/** A clock tests move by hand. */
export function manualClock(start = Date.UTC(2030, 0, 1)) {
  let now = start;
  return {
    now: () => now,
    advance(ms: number) {
      now += ms;
    },
  };
}

export interface TestVault {
  vault: Vault;
  url: string;
  dir: string;
  clock: ReturnType<typeof manualClock>;
  masterKey: string;
  call(
    operation: string,
    body: unknown,
    options?: { token?: string | null; tenant?: string; method?: string; raw?: string },
  ): Promise<{ status: number; body: Record<string, unknown> }>;
  close(): Promise<void>;
}

/** An in-process vault on a temp SQLite file with a manual clock. */
export async function startTestVault(overrides: Partial<VaultConfig> = {}): Promise<TestVault> {
  const dir = mkdtempSync(join(tmpdir(), "sv-server-test-"));
  const clock = manualClock();
  const masterKey = randomBytes(32).toString("base64");
  const vault = await createVault({
    storage: { driver: "sqlite", path: join(dir, "vault.db") },
    accessTokens: [{ id: "tests", token: TOKEN }],
    masterKey,
    clock: clock.now,
    sweepIntervalMs: 0,
    keyRefreshMs: 0,
    ...overrides,
  });
  const url = await vault.listen(0, "127.0.0.1");
  return {
    vault,
    url,
    dir,
    clock,
    masterKey,
    async call(operation, body, options = {}) {
      const headers: Record<string, string> = { "content-type": "application/json" };
      const token = options.token === undefined ? TOKEN : options.token;
      if (token !== null) headers["x-bunker-token"] = token;
      if (options.tenant) headers["x-bunker-tenant"] = options.tenant;
      const path = operation.startsWith("/") ? operation : `/v2/${operation}`;
      const method = options.method ?? "POST";
      const res = await fetch(`${url}${path}`, {
        method,
        headers,
        ...(method === "GET" || method === "HEAD" ? {} : { body: options.raw ?? JSON.stringify(body) }),
      });
      const text = await res.text();
      let parsed: Record<string, unknown>;
      try {
        parsed = JSON.parse(text) as Record<string, unknown>;
      } catch {
        throw new Error(`non-JSON reply ${res.status}: ${text.slice(0, 200)}`);
      }
      // Every reply is checked against the contract's response schema for its operation.
      const opId = operation.startsWith("/") ? null : operation;
      if (opId && validators.v2Operations.has(opId) && res.status !== 405) {
        const problem = validators.response(opId, res.status, parsed);
        if (problem) throw new Error(`${opId} ${res.status} reply does not match the contract: ${problem}`);
      }
      return { status: res.status, body: parsed };
    },
    async close() {
      await vault.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

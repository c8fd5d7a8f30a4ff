// The language-neutral conformance cases (openapi/conformance/cases.json) run through the
// client's typed openapi-fetch layer (`raw`) against a real vault started from the
// server's CLI, exactly as openapi/conformance/README.md says every runner starts it.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createVaultClient, type VaultRawClient } from "../../src/index.js";

const root = new URL("../../../../", import.meta.url);
const casesFile = JSON.parse(readFileSync(new URL("openapi/conformance/cases.json", root), "utf8")) as CaseFile;
const schema = JSON.parse(readFileSync(new URL("openapi/conformance/schema.json", root), "utf8")) as object;

interface Step {
  call?: string;
  body?: Record<string, unknown>;
  raw_body?: string;
  pad_bytes?: number;
  auth?: "ok" | "none" | "wrong";
  tenant?: string;
  capture?: Record<string, string>;
  expect?: { status: number; body?: unknown };
  sleep_ms?: number;
}
interface Case {
  name: string;
  description: string;
  steps: Step[];
}
interface CaseFile {
  vault: { token: string; tenants: string[] };
  cases: Case[];
}

/** Starts `sessionvault start` from the server's bin with the cases' token; resolves with its URL. */
function startVault(dataDir: string): Promise<{ url: string; child: ChildProcess }> {
  const bin = new URL("packages/server/bin/sessionvault.js", root).pathname;
  const child = spawn(process.execPath, [bin, "start", "--port", "0", "--host", "127.0.0.1"], {
    env: {
      ...process.env,
      SESSIONVAULT_ACCESS_TOKENS: `conformance:${casesFile.vault.token}`,
      SESSIONVAULT_MASTER_KEY: randomBytes(32).toString("base64"),
      SESSIONVAULT_SQLITE_PATH: join(dataDir, "vault.db"),
      SESSIONVAULT_DURABILITY: "process",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  return new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`vault did not start:\n${out}`)), 20_000);
    child.stderr!.on("data", (chunk: Buffer) => {
      out += chunk.toString("utf8");
    });
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString("utf8");
      for (const line of out.split("\n")) {
        try {
          const parsed = JSON.parse(line) as { msg?: string; url?: string };
          if (parsed.msg === "listening" && parsed.url) {
            clearTimeout(timer);
            resolve({ url: parsed.url, child });
          }
        } catch {
          // not a complete log line yet
        }
      }
    });
    child.once("exit", (code) => reject(new Error(`vault exited with ${code}:\n${out}`)));
  });
}

class Bindings {
  values = new Map<string, unknown>();
  resolve(text: string): unknown {
    const m = /^\{\{(uuid|email|str|var):([^}]+)\}\}$/.exec(text);
    if (!m) return text;
    const [, kind, name] = m as unknown as [string, string, string];
    if (kind === "var") {
      if (!this.values.has(name)) throw new Error(`{{var:${name}}} used before it was captured`);
      return this.values.get(name);
    }
    const key = `${kind}:${name}`;
    if (!this.values.has(key)) {
      const fresh =
        kind === "uuid"
          ? randomUUID()
          : kind === "email"
            ? `c-${randomBytes(8).toString("hex")}@example.org`
            : randomBytes(8).toString("hex");
      this.values.set(key, fresh);
    }
    return this.values.get(key);
  }
  substitute(value: unknown): unknown {
    if (typeof value === "string") return this.resolve(value);
    if (Array.isArray(value)) return value.map((v) => this.substitute(v));
    if (value !== null && typeof value === "object")
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.substitute(v)]));
    return value;
  }
}

const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);
const TYPES: Record<string, (v: unknown) => boolean> = {
  string: (v) => typeof v === "string",
  number: (v) => typeof v === "number",
  integer: (v) => Number.isInteger(v),
  boolean: (v) => typeof v === "boolean",
  object: isObj,
  array: Array.isArray,
  null: (v) => v === null,
};

/** null when `actual` matches the matcher, else where and why it does not. */
export function match(m: unknown, actual: unknown, path = ""): string | null {
  const where = path || "/";
  if (isObj(m)) {
    if ("$type" in m) return TYPES[m.$type as string]!(actual) ? null : `${where}: expected ${m.$type}`;
    if ("$any" in m) return null;
    if ("$len" in m)
      return (typeof actual === "string" || Array.isArray(actual)) && actual.length === m.$len
        ? null
        : `${where}: expected length ${m.$len}`;
    if ("$gte" in m) return typeof actual === "number" && actual >= (m.$gte as number) ? null : `${where}: < ${m.$gte}`;
    if ("$lte" in m) return typeof actual === "number" && actual <= (m.$lte as number) ? null : `${where}: > ${m.$lte}`;
    if ("$contains" in m)
      return Array.isArray(actual) && actual.some((a) => match(m.$contains, a) === null)
        ? null
        : `${where}: no element matches`;
    if ("$unordered" in m) {
      const wanted = m.$unordered as unknown[];
      if (!Array.isArray(actual) || actual.length !== wanted.length) return `${where}: expected ${wanted.length} items`;
      const assign = (i: number, used: Set<number>): boolean =>
        i === wanted.length ||
        actual.some((a, j) => !used.has(j) && match(wanted[i], a) === null && assign(i + 1, new Set([...used, j])));
      return assign(0, new Set()) ? null : `${where}: elements do not match in any order`;
    }
    if (!isObj(actual)) return `${where}: expected an object`;
    for (const [key, sub] of Object.entries(m)) {
      if (isObj(sub) && sub.$absent === true) {
        if (key in actual) return `${path}/${key}: expected absent`;
        continue;
      }
      if (!(key in actual)) return `${path}/${key}: missing`;
      const problem = match(sub, actual[key], `${path}/${key}`);
      if (problem) return problem;
    }
    return null;
  }
  if (Array.isArray(m)) {
    if (!Array.isArray(actual) || actual.length !== m.length) return `${where}: expected ${m.length} items`;
    for (let i = 0; i < m.length; i++) {
      const problem = match(m[i], actual[i], `${path}/${i}`);
      if (problem) return problem;
    }
    return null;
  }
  return m === actual ? null : `${where}: expected ${JSON.stringify(m)}`;
}

function pointer(doc: unknown, ptr: string): unknown {
  if (ptr === "") return doc;
  let cur = doc;
  for (const raw of ptr.slice(1).split("/")) {
    const part = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    cur = Array.isArray(cur) ? cur[Number(part)] : (cur as Record<string, unknown>)[part];
  }
  return cur;
}

interface Clients {
  url: string;
  raw: (tenant: string | undefined, token?: string) => VaultRawClient;
}

async function runCase(c: Case, clients: Clients): Promise<void> {
  const b = new Bindings();
  for (const [index, step] of c.steps.entries()) {
    if (step.sleep_ms !== undefined) {
      await new Promise((r) => setTimeout(r, step.sleep_ms));
      continue;
    }
    let body = b.substitute(step.body ?? {}) as Record<string, unknown>;
    if (step.pad_bytes !== undefined) body = { ...body, pad: "a".repeat(step.pad_bytes) };
    const auth = step.auth ?? "ok";
    const raw = clients.raw(step.tenant, auth === "wrong" ? "wrong-token-0000000000000000" : undefined);
    const path = `/v2/${step.call}` as "/v2/SessionGet";
    const { data, error, response } = await raw.POST(path, {
      body: body as never,
      ...(step.raw_body !== undefined ? { bodySerializer: () => step.raw_body as string } : {}),
      ...(auth === "none" ? { headers: { "x-bunker-token": null } } : {}),
      parseAs: "text",
    } as never);
    const text = (data ?? error) as unknown as string | undefined;
    let reply: unknown = null;
    try {
      reply = text ? JSON.parse(text) : null;
    } catch {
      reply = text;
    }
    const label = `step ${index} (${step.call})`;
    const want = step.expect!;
    if (response.status !== want.status)
      throw new Error(`${label}: status ${response.status}, expected ${want.status}`);
    if (want.body !== undefined) {
      const problem = match(b.substitute(want.body), reply);
      if (problem) throw new Error(`${label}: ${problem}`);
    }
    for (const [name, ptr] of Object.entries(step.capture ?? {})) b.values.set(name, pointer(reply, ptr));
  }
}

describe("conformance vectors (openapi/conformance/cases.json)", () => {
  let dataDir: string;
  let child: ChildProcess | undefined;
  let clients: Clients;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "sessionvault-conformance-"));
    const started = await startVault(dataDir);
    child = started.child;
    const cache = new Map<string, VaultRawClient>();
    clients = {
      url: started.url,
      raw: (tenant, token) => {
        const key = `${tenant ?? ""}|${token ?? ""}`;
        let client = cache.get(key);
        if (!client) {
          client = createVaultClient({
            baseUrl: started.url,
            token: token ?? casesFile.vault.token,
            ...(tenant !== undefined ? { tenant } : {}),
          }).raw;
          cache.set(key, client);
        }
        return client;
      },
    };
  });

  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child!.once("exit", r));
      child.kill("SIGTERM");
      await exited;
    }
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it("the case file matches openapi/conformance/schema.json", () => {
    // ajv is the server's validator; it is resolved from there rather than added here.
    const require = createRequire(new URL("packages/server/package.json", root));
    const Ajv2020 = require("ajv/dist/2020").default as new (
      o: object,
    ) => {
      validate(s: object, d: unknown): boolean;
      errorsText(): string;
    };
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    const ok = ajv.validate(schema, casesFile);
    expect(ok, ajv.errorsText()).toBe(true);
    expect(new Set(casesFile.cases.map((c) => c.name)).size).toBe(casesFile.cases.length);
  });

  it("every case passes against a real vault started from the CLI", async () => {
    const failures: string[] = [];
    // One after another: the expiry cases' short windows stay clear of a loaded machine.
    for (const c of casesFile.cases) {
      try {
        await runCase(c, clients);
      } catch (error) {
        failures.push(`${c.name}: ${(error as Error).message}`);
      }
    }
    const passed = casesFile.cases.length - failures.length;
    process.stdout.write(
      `${failures.map((f) => `FAIL ${f}\n`).join("")}conformance: ${passed} passed, ${failures.length} failed\n`,
    );
    expect(failures).toEqual([]);
    expect(passed).toBeGreaterThan(0);
  });

  it("the matcher rejects what it must (a runner that cannot fail proves nothing)", () => {
    expect(match({ a: 1 }, { a: 2 })).not.toBeNull();
    expect(match({ a: { $absent: true } }, { a: 1 })).not.toBeNull();
    expect(match([1, 2], [1])).not.toBeNull();
    expect(match({ $unordered: [1, 2] }, [2, 2])).not.toBeNull();
    expect(match({ $type: "integer" }, 1.5)).not.toBeNull();
    expect(match({ $unordered: [{ x: 1 }, 2] }, [2, { x: 1, y: 3 }])).toBeNull();
  });
});

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { createSqliteDriver, type StorageDriver } from "../../src/index.js";
import { startTestVault, type TestVault } from "../helpers.js";

const open: TestVault[] = [];
const dirs: string[] = [];
afterEach(async () => {
  while (open.length) await open.pop()!.close();
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true });
});

/** A real sqlite driver whose reads or pings can be made to fail, as an unreachable database would. */
function flakyDriver() {
  const dir = mkdtempSync(join(tmpdir(), "sv-faults-"));
  dirs.push(dir);
  const inner = createSqliteDriver({ path: join(dir, "vault.db") });
  const faults = { get: false, ping: false };
  const driver = new Proxy(inner, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        if ((prop === "get" && faults.get) || (prop === "ping" && faults.ping)) {
          return Promise.reject(
            Object.assign(new Error("connect ECONNREFUSED 10.0.0.5:5432"), { code: "ECONNREFUSED" }),
          );
        }
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  }) as StorageDriver;
  return { driver, faults };
}

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: pino({ level: "debug" }, stream), text: () => lines.join("") };
}

describe("storage faults", () => {
  it("answers 503 on /readyz while storage is unreachable, and 200 again once it is back", async () => {
    const { driver, faults } = flakyDriver();
    const t = await startTestVault({ driver });
    open.push(t);
    expect((await t.call("/readyz", null, { token: null, method: "GET" })).status).toBe(200);
    faults.ping = true;
    expect(await t.call("/readyz", null, { token: null, method: "GET" })).toEqual({
      status: 503,
      body: { status: "error", message: "not ready" },
    });
    expect((await t.call("/healthz", null, { token: null, method: "GET" })).status).toBe(200);
    faults.ping = false;
    expect((await t.call("/readyz", null, { token: null, method: "GET" })).status).toBe(200);
  });

  it("turns a storage failure into a generic 500 whose reply and log carry no data", async () => {
    const { driver, faults } = flakyDriver();
    const log = capture();
    const t = await startTestVault({ driver, logger: log.logger });
    open.push(t);
    await t.call("SessionUpsert", { sessionuuid: "fault-session-1", sessiondata: { secret: "fault-secret-value" } });
    faults.get = true;
    expect(await t.call("SessionGet", { sessionuuid: "fault-session-1" })).toEqual({
      status: 500,
      body: { status: "error", message: "internal error" },
    });
    faults.get = false;
    expect((await t.call("SessionGet", { sessionuuid: "fault-session-1" })).status).toBe(200);
    expect(log.text()).toContain('"code":"ECONNREFUSED"');
    for (const secret of ["fault-session-1", "fault-secret-value", "10.0.0.5"])
      expect(log.text()).not.toContain(secret);
  });
});

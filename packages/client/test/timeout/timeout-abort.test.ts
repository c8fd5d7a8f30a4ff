import { getEventListeners } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { HttpResponse } from "msw/http";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as clientModule from "../../src/index.js";
import {
  anyStatus,
  BASE_URL,
  mockClient,
  operation,
  SESSION_ID,
  sessionReply,
  TOKEN,
  useMockVault,
  vaultError,
} from "../helpers.js";

const server = useMockVault();
const hang = () => new Promise<Response>(() => {});
const ok = sessionReply({ ok: true });

// The same behaviour must hold with AbortSignal.any and with the listener fallback
// used where AbortSignal.any is missing (older runtimes).
async function loadWithoutAbortSignalAny(): Promise<typeof clientModule> {
  const original = AbortSignal.any;
  Reflect.deleteProperty(AbortSignal, "any");
  try {
    vi.resetModules();
    return await import("../../src/index.js");
  } finally {
    AbortSignal.any = original;
  }
}

const variants: [string, () => Promise<typeof clientModule>][] = [
  ["with AbortSignal.any", async () => clientModule],
  ["without AbortSignal.any", loadWithoutAbortSignalAny],
];

describe.each(variants)("timeout and abort %s", (_name, load) => {
  let lib: typeof clientModule;
  beforeAll(async () => {
    lib = await load();
  });
  const client = (options: Partial<clientModule.VaultClientOptions> = {}) =>
    lib.createVaultClient({
      baseUrl: BASE_URL,
      token: TOKEN,
      retry: { retries: 2, minDelayMs: 1, maxDelayMs: 2 },
      ...options,
    });

  it("fails an attempt that takes longer than timeoutMs with VaultTimeoutError", async () => {
    server.use(operation("UserCreate", hang).handler);
    const started = Date.now();
    const error = await client({ timeoutMs: 40 })
      .createUser({ email: "ada@example.com" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(lib.VaultTimeoutError);
    expect(error).toMatchObject({ operation: "UserCreate", status: 0, code: "timeout", retryable: true });
    expect((error as Error).message).toBe("UserCreate timed out after 40 ms");
    expect(Date.now() - started).toBeGreaterThanOrEqual(35);
  });

  it("applies the timeout per attempt and retries idempotent operations after it", async () => {
    const op = operation("SessionGet", (_r, attempt) => (attempt < 3 ? hang() : HttpResponse.json(ok)));
    server.use(op.handler);
    await expect(client({ timeoutMs: 30 }).getSession(SESSION_ID)).resolves.toMatchObject({ data: { ok: true } });
    expect(op.received).toHaveLength(3);
  });

  it("gives up with VaultTimeoutError when every attempt times out", async () => {
    const op = operation("SessionGet", hang);
    server.use(op.handler);
    await expect(client({ timeoutMs: 20 }).getSession(SESSION_ID)).rejects.toBeInstanceOf(lib.VaultTimeoutError);
    expect(op.received).toHaveLength(3);
  });

  it("rejects with the caller's AbortError when the caller aborts mid-request, without retrying", async () => {
    const op = operation("SessionGet", hang);
    server.use(op.handler);
    const controller = new AbortController();
    const pending = client().getSession(SESSION_ID, { signal: controller.signal });
    await vi.waitFor(() => expect(op.received).toHaveLength(1));
    controller.abort();
    const error = await pending.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DOMException);
    expect((error as DOMException).name).toBe("AbortError");
    expect(error).toBe(controller.signal.reason);
    expect(lib.isVaultError(error)).toBe(false);
    expect(op.received).toHaveLength(1);
  });

  it("rejects with the caller's own abort reason", async () => {
    server.use(operation("SessionGet", hang).handler);
    const controller = new AbortController();
    const reason = new Error("request closed by the browser");
    const pending = client().getSession(SESSION_ID, { signal: controller.signal });
    setTimeout(() => controller.abort(reason), 10);
    await expect(pending).rejects.toBe(reason);
  });

  it("reports the caller's AbortSignal.timeout as the caller's TimeoutError, not a VaultTimeoutError", async () => {
    server.use(operation("SessionGet", hang).handler);
    const error = await client({ timeoutMs: 10_000 })
      .getSession(SESSION_ID, { signal: AbortSignal.timeout(20) })
      .catch((e: unknown) => e);
    expect((error as DOMException).name).toBe("TimeoutError");
    expect(lib.isVaultError(error)).toBe(false);
  });

  it("sends nothing when the signal is already aborted", async () => {
    const op = operation("SessionDelete", { status: "ok" });
    server.use(op.handler);
    await expect(client().deleteSession(SESSION_ID, { signal: AbortSignal.abort() })).rejects.toMatchObject({
      name: "AbortError",
    });
    expect(op.received).toHaveLength(0);
  });

  it("stops waiting between retries as soon as the caller aborts", async () => {
    const op = operation("SessionGet", () => anyStatus(vaultError(503)));
    server.use(op.handler);
    const controller = new AbortController();
    const vault = client({ retry: { retries: 5, minDelayMs: 60_000, maxDelayMs: 60_000 } });
    vi.spyOn(Math, "random").mockReturnValue(0.99);
    const pending = vault.getSession(SESSION_ID, { signal: controller.signal });
    await vi.waitFor(() => expect(op.received).toHaveLength(1));
    const reason = new Error("gave up");
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
    vi.restoreAllMocks();
    expect(op.received).toHaveLength(1);
  });

  it("leaves no listeners on a long-lived caller signal", async () => {
    server.use(operation("SessionGet", ok).handler);
    const controller = new AbortController();
    const vault = client();
    for (let i = 0; i < 20; i++) await vault.getSession(SESSION_ID, { signal: controller.signal });
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
  });
});

describe("timeout while the body is still arriving", () => {
  let http: Server;
  let url: string;
  beforeAll(async () => {
    http = createServer((_req, res) => {
      // Headers and half a body, then silence.
      res.writeHead(200, { "content-type": "application/json", "content-length": "100" });
      res.write('{"status":"ok","sessiondata":{');
    });
    await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    server.close(); // real network for this block
  });
  afterAll(async () => {
    http.closeAllConnections();
    await new Promise((resolve) => http.close(resolve));
    server.listen({ onUnhandledFrame: "error" });
  });

  it("covers reading the reply, not just waiting for headers", async () => {
    const vault = mockClient({ baseUrl: url, timeoutMs: 50, retry: false });
    await expect(vault.getSession(SESSION_ID)).rejects.toBeInstanceOf(clientModule.VaultTimeoutError);
  });
});

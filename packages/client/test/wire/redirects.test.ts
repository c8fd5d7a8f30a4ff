import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createVaultClient, VaultResponseError } from "../../src/index.js";

// Real servers: redirect handling belongs to the runtime's fetch, which msw stands in for.
describe("redirects", () => {
  const servers: Server[] = [];
  let elsewhere: { url: string; received: IncomingHttpHeaders[] };
  let redirecting: string;

  async function listen(handler: Parameters<typeof createServer>[1]): Promise<string> {
    const server = createServer(handler);
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  beforeAll(async () => {
    const received: IncomingHttpHeaders[] = [];
    const url = await listen((req, res) => {
      received.push(req.headers);
      req.resume();
      res.writeHead(200, { "content-type": "application/json" }).end('{"status":"ok","sessiondata":{}}');
    });
    elsewhere = { url, received };
    redirecting = await listen((req, res) => {
      req.resume();
      res.writeHead(307, { location: `${elsewhere.url}${req.url}` }).end();
    });
  });

  afterAll(async () => {
    for (const server of servers) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("are never followed, so the access token never reaches another URL", async () => {
    const vault = createVaultClient({ baseUrl: redirecting, token: "token-that-must-not-travel" });
    const error = await vault.getSession("session-id-123").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VaultResponseError);
    expect((error as VaultResponseError).retryable).toBe(false);
    expect((error as Error).message).toBe(
      "SessionGet: the vault answered with a redirect, which is never followed (is baseUrl right, http or https?)",
    );
    expect(elsewhere.received).toEqual([]);
  });

  it("are not followed by the raw client either", async () => {
    const vault = createVaultClient({ baseUrl: redirecting, token: "token-that-must-not-travel" });
    await vault.raw.POST("/v2/SessionGet", { body: { sessionuuid: "session-id-123" } }).catch(() => undefined);
    expect(elsewhere.received).toEqual([]);
  });

  it("are not followed where fetch lacks redirect: 'error' (Cloudflare Workers), and fail as an unexpected status", async () => {
    // Such runtimes throw when a Request is built with redirect "error".
    const RealRequest = globalThis.Request;
    class WorkersRequest extends RealRequest {
      constructor(input: ConstructorParameters<typeof Request>[0], init?: RequestInit) {
        if (init?.redirect === "error")
          throw new TypeError('Invalid redirect value, must be one of "follow" or "manual"');
        super(input, init);
      }
    }
    vi.stubGlobal("Request", WorkersRequest);
    vi.resetModules();
    let lib: typeof import("../../src/index.js");
    try {
      lib = await import("../../src/index.js");
    } finally {
      vi.unstubAllGlobals();
    }
    const vault = lib.createVaultClient({ baseUrl: redirecting, token: "token-that-must-not-travel" });
    const error = await vault.getSession("session-id-123").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(lib.VaultResponseError);
    expect((error as Error).message).toBe("SessionGet: the vault answered HTTP 307");
    expect(elsewhere.received).toEqual([]);
  });
});

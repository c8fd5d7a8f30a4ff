import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createVaultClient, isVaultError } from "../../src/index.js";
import { createNodeFetch } from "../../src/node/index.js";

let server: Server;
let base: string;
const seen: { method?: string; headers: IncomingMessage["headers"]; body: string }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (d) => {
      body += d;
    });
    req.on("end", () => {
      seen.push({ method: req.method, headers: req.headers, body });
      if (req.url?.startsWith("/hang")) return; // never answers
      if (req.url === "/empty") {
        res.writeHead(204).end();
        return;
      }
      res
        .writeHead(418, { "content-type": "application/json", "x-twice": ["a", "b"] })
        .end('{"status":"error","message":"teapot"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe("createNodeFetch", () => {
  const nodeFetch = createNodeFetch();

  it("sends method, headers and body, and returns status, headers and body", async () => {
    const res = await nodeFetch(`${base}/x`, {
      method: "POST",
      headers: new Headers({ "content-type": "application/json", "x-bunker-token": "t" }),
      body: '{"sessionuuid":"ünïcode"}',
    });
    expect(res.status).toBe(418);
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(res.headers.get("x-twice")).toBe("a, b");
    expect(await res.json()).toEqual({ status: "error", message: "teapot" });
    const request = seen.at(-1)!;
    expect(request.method).toBe("POST");
    expect(request.headers["x-bunker-token"]).toBe("t");
    expect(request.body).toBe('{"sessionuuid":"ünïcode"}');
    expect(request.headers["content-length"]).toBe(String(Buffer.byteLength('{"sessionuuid":"ünïcode"}')));
  });

  it("answers a body-less status with an empty body", async () => {
    const res = await nodeFetch(`${base}/empty`, { method: "POST", body: "{}" });
    expect(res.status).toBe(204);
    expect(await res.text()).toBe("");
  });

  it("rejects with the signal's reason when aborted, before or during the call", async () => {
    const early = new AbortController();
    early.abort(new Error("early"));
    await expect(nodeFetch(`${base}/x`, { signal: early.signal })).rejects.toThrow("early");
    const late = new AbortController();
    const pending = nodeFetch(`${base}/hang`, { method: "POST", body: "{}", signal: late.signal });
    setTimeout(() => late.abort(new Error("late")), 50);
    await expect(pending).rejects.toThrow("late");
  });

  it("refuses bodies it cannot send as they are", async () => {
    await expect(nodeFetch(`${base}/x`, { method: "POST", body: new Uint8Array([1]) })).rejects.toThrow(TypeError);
  });

  it("keeps connections alive: many calls, few connections", async () => {
    const own = createServer((req, res) => {
      req.resume();
      req.on("end", () => res.writeHead(200, { "content-type": "application/json" }).end('{"status":"ok"}'));
    });
    let connections = 0;
    own.on("connection", () => connections++);
    await new Promise<void>((resolve) => own.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(own.address() as AddressInfo).port}/x`;
      const fresh = createNodeFetch({ maxSockets: 2 });
      for (let round = 0; round < 3; round++) {
        const replies = await Promise.all(
          Array.from({ length: 10 }, () => fresh(url, { method: "POST", body: "{}" }).then((r) => r.json())),
        );
        expect(replies).toEqual(Array.from({ length: 10 }, () => ({ status: "ok" })));
      }
      expect(connections).toBeLessThanOrEqual(2);
    } finally {
      own.closeAllConnections();
      await new Promise((resolve) => own.close(resolve));
    }
  });

  it("gives the client a timeout error when the vault does not answer", async () => {
    const client = createVaultClient({
      baseUrl: `${base}/hang`,
      token: "t",
      retry: false,
      timeoutMs: 200,
      fetch: nodeFetch,
    });
    const error = await client.getSession("a-session-id-000").catch((e: unknown) => e);
    expect(isVaultError(error)).toBe(true);
    expect((error as { code: string }).code).toBe("timeout");
  });
});

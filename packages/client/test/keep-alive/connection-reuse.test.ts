import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createVaultClient } from "../../src/index.js";

// A real node:http server (no msw): connection reuse is a property of the real transport.
describe("connection reuse", () => {
  let server: Server;
  let baseUrl: string;
  let connections = 0;
  let requests = 0;

  beforeAll(async () => {
    server = createServer((req, res) => {
      requests++;
      req.resume();
      req.on("end", () => {
        const body = JSON.stringify({ status: "ok", sessiondata: { n: requests } });
        res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
        res.end(body);
      });
    });
    server.on("connection", () => connections++);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

  it("sends many sequential calls over one TCP connection", async () => {
    const vault = createVaultClient({ baseUrl, token: "keep-alive-test-token" });
    const before = { connections, requests };
    for (let i = 0; i < 100; i++) {
      const session = await vault.getSession("keep-alive-session-id");
      expect(session?.data).toEqual({ n: before.requests + i + 1 });
      // Real callers do other work between vault calls (render, respond); see the next test for back-to-back calls.
      await nextTurn();
    }
    expect(requests - before.requests).toBe(100);
    expect(connections - before.connections).toBe(1);
  });

  it("opens no new connections for back-to-back calls once the pool is warm", async () => {
    // A call issued in the very tick the previous reply completes can find the socket
    // not yet back in fetch's pool, so the pool may open a second one, once. After
    // that the count must stay flat however many calls follow.
    const vault = createVaultClient({ baseUrl, token: "keep-alive-test-token" });
    for (let i = 0; i < 10; i++) await vault.getSession("keep-alive-session-id");
    const warm = connections;
    for (let i = 0; i < 200; i++) await vault.getSession("keep-alive-session-id");
    expect(connections).toBe(warm);
  });

  it("keeps reusing the connection after error replies", async () => {
    const failing = createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        const body = '{"status":"error","message":"no such user"}';
        res.writeHead(404, { "content-type": "application/json", "content-length": body.length }).end(body);
      });
    });
    let opened = 0;
    failing.on("connection", () => opened++);
    await new Promise<void>((resolve) => failing.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(failing.address() as AddressInfo).port}`;
    try {
      const vault = createVaultClient({ baseUrl: url, token: "keep-alive-test-token" });
      for (let i = 0; i < 20; i++) {
        await expect(vault.getUser("email", "nobody@example.com")).resolves.toBeNull();
        await nextTurn();
      }
      expect(opened).toBe(1);
    } finally {
      failing.closeAllConnections();
      await new Promise((resolve) => failing.close(resolve));
    }
  });
});

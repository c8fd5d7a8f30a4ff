import { connect } from "node:net";
import { describe, expect, it } from "vitest";
import { startTestVault } from "../helpers.js";

describe("close()", () => {
  it("cuts off a request that never finishes once drainTimeoutMs has passed", async () => {
    const t = await startTestVault({ drainTimeoutMs: 300 });
    const url = new URL(t.url);
    const socket = connect(Number(url.port), url.hostname);
    await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
    const closedSocket = new Promise<void>((resolve) => socket.once("close", () => resolve()));
    socket.write(
      "POST /v2/SessionGet HTTP/1.1\r\nhost: x\r\nx-bunker-token: test-token-0123456789abcdef\r\ncontent-length: 100\r\n\r\n{",
    );
    // A second keep-alive client is mid-conversation when the drain starts.
    const agent = await fetch(`${t.url}/healthz`);
    expect(agent.status).toBe(200);
    const started = Date.now();
    const closing = t.close();
    await closing;
    await closedSocket;
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

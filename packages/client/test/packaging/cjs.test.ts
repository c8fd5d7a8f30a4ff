import { createServer } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// Regression: the CommonJS build must construct a working client (openapi-fetch's CJS
// default export is not interop-flagged, which once broke `require()` users).
const require = createRequire(import.meta.url);
const cjsEntry = fileURLToPath(new URL("../../dist/index.cjs", import.meta.url));

describe("CommonJS build", () => {
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.setHeader("content-type", "application/json");
      res.end(
        JSON.stringify({
          status: "ok",
          sessiondata: { n: 1 },
          version: 1,
          created: 1,
          lastused: 1,
          expires: null,
          usertoken: null,
        }),
      );
    });
  });
  let baseUrl = "";
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("require() gives a client that performs a real call", async () => {
    const mod = require(cjsEntry) as typeof import("../../src/index.js");
    const client = mod.createVaultClient({ baseUrl, token: "t" });
    const session = await client.getSession("session-id-0001");
    expect(session?.data).toEqual({ n: 1 });
  });
});

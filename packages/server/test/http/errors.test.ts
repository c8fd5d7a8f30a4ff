import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestVault, type TestVault, validators } from "../helpers.js";

let t: TestVault;
beforeAll(async () => {
  t = await startTestVault({ bodyLimit: 4096 });
});
afterAll(async () => {
  await t.close();
});

describe("error mapping", () => {
  it("answers 403 on every operation without or with a wrong token, before looking at the body", async () => {
    for (const op of validators.v2Operations) {
      for (const token of [null, "wrong-token", ""]) {
        const res = await t.call(op, "{not json", { token, raw: "{not json" });
        expect(res, op).toEqual({ status: 403, body: { status: "error", message: "missing or invalid access token" } });
      }
    }
    for (const [path, method] of [
      ["/v1/session/abcdefgh1", "GET"],
      ["/v1/session/abcdefgh1", "POST"],
      ["/v1/session/abcdefgh1", "DELETE"],
      ["/v1/sessions/login/x", "GET"],
      ["/v2/NoSuchOperation", "POST"],
    ] as const) {
      expect((await t.call(path, {}, { token: null, method })).status).toBe(403);
    }
  });

  it("does not reveal whether a session exists to an unauthenticated caller", async () => {
    await t.call("SessionUpsert", { sessionuuid: "exists-0001", sessiondata: {} });
    const present = await t.call("SessionGet", { sessionuuid: "exists-0001" }, { token: "nope" });
    const absent = await t.call("SessionGet", { sessionuuid: "absent-0001" }, { token: "nope" });
    expect(present).toEqual(absent);
  });

  it("answers 400 naming the field for wrong types and missing fields", async () => {
    const cases: [string, unknown, string][] = [
      ["SessionGet", {}, "sessionuuid: is required"],
      ["SessionGet", { sessionuuid: 12345678 }, "sessionuuid: must be string"],
      ["SessionUpsert", { sessionuuid: "abcdefgh1", sessiondata: [] }, "sessiondata: must be object"],
      [
        "SessionUpsert",
        { sessionuuid: "short", sessiondata: {} },
        "sessionuuid: must NOT have fewer than 8 characters",
      ],
      ["SessionUpsert", { sessionuuid: "abcdefgh1" }, "sessiondata: is required"],
      [
        "SessionUpsert",
        { sessionuuid: "abcdefgh1", sessiondata: {}, slidingtime: "10 minutes" },
        "slidingtime: must be a duration such as 30s, 30m, 1h or 7d",
      ],
      [
        "SessionUpsert",
        { sessionuuid: "abcdefgh1", sessiondata: {}, finaltime: -5 },
        "finaltime: must be a duration such as 30m, 1h or 7d, or a unix timestamp in seconds",
      ],
      ["UserGet", { mode: "fax", identity: "x" }, "mode: must be equal to one of the allowed values"],
      ["TokenCreateBulk", { records: [{ tokentype: "string" }] }, "records.0.record: is required"],
      ["SessionGet", [], "body: must be object"],
      ["SessionGet", null, "body: must be object"],
    ];
    for (const [op, body, message] of cases) {
      expect(await t.call(op, body), `${op} ${JSON.stringify(body)}`).toEqual({
        status: 400,
        body: { status: "error", message },
      });
    }
  });

  it("accepts 30s/30m/1h/7d and unix timestamps as time windows", async () => {
    for (const slidingtime of ["30s", "30m", "1h", "7d"]) {
      expect((await t.call("SessionUpsert", { sessionuuid: "windows-01", sessiondata: {}, slidingtime })).status).toBe(
        200,
      );
    }
    for (const finaltime of ["1h", 1999999999, "1999999999"]) {
      expect((await t.call("SessionUpsert", { sessionuuid: "windows-02", sessiondata: {}, finaltime })).status).toBe(
        200,
      );
    }
    for (const bad of ["0m", "1w", "1.5h", "", "h", 0, 1.5, "-1"]) {
      expect(
        (await t.call("SessionUpsert", { sessionuuid: "windows-03", sessiondata: {}, finaltime: bad })).status,
      ).toBe(400);
    }
  });

  it("answers 400 for invalid JSON and for JSON nested too deeply", async () => {
    expect(await t.call("SessionGet", null, { raw: '{"sessionuuid": ' })).toEqual({
      status: 400,
      body: { status: "error", message: "body: is not valid JSON" },
    });
    const deep = `{"sessionuuid":"abcdefgh1","sessiondata":${'{"a":'.repeat(200)}1${"}".repeat(200)}}`;
    expect((await t.call("SessionUpsert", null, { raw: deep })).status).toBe(400);
  });

  it("answers 404 for an unknown operation and 405 for a wrong method", async () => {
    expect(await t.call("SessionSteal", {})).toEqual({
      status: 404,
      body: { status: "error", message: "unknown operation" },
    });
    expect((await t.call("/nowhere", {})).status).toBe(404);
    const res = await fetch(`${t.url}/v2/SessionGet`, {
      method: "GET",
      headers: { "x-bunker-token": "test-token-0123456789abcdef" },
    });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("POST");
    expect(await res.json()).toEqual({ status: "error", message: "method not allowed; use POST" });
  });

  it("answers 413 for a body over the limit, declared or streamed, without buffering it", async () => {
    const big = JSON.stringify({ sessionuuid: "abcdefgh1", sessiondata: { pad: "x".repeat(10_000) } });
    expect(await t.call("SessionUpsert", null, { raw: big })).toEqual({
      status: 413,
      body: { status: "error", message: "request body is too large" },
    });
    // Chunked upload without Content-Length: the limit applies while streaming.
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${t.url}/v2/SessionUpsert`, {
        method: "POST",
        headers: { "x-bunker-token": "test-token-0123456789abcdef", "transfer-encoding": "chunked" },
      });
      req.on("response", (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", reject);
      for (let i = 0; i < 10; i++) req.write("x".repeat(1000));
      req.end();
    });
    expect(status).toBe(413);
  });

  it("serves /healthz and /readyz without a token", async () => {
    expect((await t.call("/healthz", null, { token: null, method: "GET" })).body).toEqual({ status: "ok" });
    expect((await t.call("/readyz", null, { token: null, method: "GET" })).body).toEqual({ status: "ok" });
    expect((await t.call("/healthz", {}, { token: null, method: "POST" })).status).toBe(405);
  });
});

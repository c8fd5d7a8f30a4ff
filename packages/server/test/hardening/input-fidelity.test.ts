import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestVault, type TestVault } from "../helpers.js";

let v: TestVault;
beforeAll(async () => {
  v = await startTestVault();
});
afterAll(() => v.close());

const session = (data: string) => `{"sessionuuid":"fidelity-0001","sessiondata":${data}}`;

async function rawPost(path: string, body: Buffer | string) {
  const res = await fetch(`${v.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-bunker-token": "test-token-0123456789abcdef" },
    body,
  });
  return { status: res.status, body: (await res.json()) as { status: string; message: string } };
}

describe("input that would be stored differently than sent", () => {
  const cases: [string, string | Buffer, string, string][] = [
    [
      "invalid UTF-8",
      Buffer.concat([Buffer.from(session('{"name":"')), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]),
      '{"name":"',
      "body: is not valid UTF-8",
    ],
    ["1e400", session('{"n":1e400}'), '{"n":1e400}', "body.sessiondata.n: is a number too large to store"],
    [
      "an integer beyond 2^53",
      session('{"list":[1,9007199254740993]}'),
      '{"list":[1,9007199254740993]}',
      "body.sessiondata.list.1: is an integer beyond 2^53, which JSON numbers cannot keep exactly",
    ],
    [
      "a duplicate key",
      session('{"a":{"role":"user","role":"admin"}}'),
      '{"a":{"role":"user","role":"admin"}}',
      "body.sessiondata.a.role: appears twice in one object",
    ],
  ];
  for (const [what, v2Body, v1Body, message] of cases) {
    it(`${what} is a 400 naming the field on v2, and nothing is stored`, async () => {
      const reply = await rawPost("/v2/SessionUpsert", v2Body);
      expect(reply).toEqual({ status: 400, body: { status: "error", message } });
      expect((await v.call("SessionGet", { sessionuuid: "fidelity-0001" })).status).toBe(404);
    });
    it(`${what} is a 400 on v1 too`, async () => {
      const body =
        what === "invalid UTF-8"
          ? Buffer.concat([Buffer.from(v1Body), Buffer.from([0xc3, 0x28]), Buffer.from('"}')])
          : v1Body;
      const reply = await rawPost("/v1/session/fidelity-0002", body);
      expect(reply.status).toBe(400);
      expect(reply.body.message).toBe(message.replace("body.sessiondata.", "body."));
    });
  }

  it("numbers and keys JSON keeps exactly are stored exactly", async () => {
    const data = '{"max":9007199254740991,"min":-9007199254740991,"f":1.5e300,"e":"\\u0061","a":1}';
    expect((await rawPost("/v2/SessionUpsert", session(data))).status).toBe(200);
    const read = await v.call("SessionGet", { sessionuuid: "fidelity-0001" });
    expect(read.body.sessiondata).toEqual(JSON.parse(data));
    await v.call("SessionDelete", { sessionuuid: "fidelity-0001" });
  });

  it("a key spelled twice through an escape is a duplicate too", async () => {
    const reply = await rawPost("/v2/SessionUpsert", session('{"a":1,"\\u0061":2}'));
    expect(reply.body.message).toBe("body.sessiondata.a: appears twice in one object");
  });

  it("a finaltime in the past is a 400 naming the field, on v2 and v1", async () => {
    const past = Math.floor(v.clock.now() / 1000) - 60;
    const v2 = await v.call("SessionUpsert", { sessionuuid: "fidelity-0003", sessiondata: {}, finaltime: past });
    expect(v2).toEqual({ status: 400, body: { status: "error", message: "finaltime: is in the past" } });
    const user = await v.call("UserCreate", { profile: { login: "past-final" }, finaltime: String(past) });
    expect(user.status).toBe(400);
    const v1 = await rawPost(`/v1/session/fidelity-0004?finaltime=${past}`, "{}");
    expect(v1).toEqual({ status: 400, body: { status: "error", message: "finaltime: is in the past" } });
  });
});

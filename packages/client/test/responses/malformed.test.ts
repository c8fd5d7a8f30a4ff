import { HttpResponse } from "msw/http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type VaultClient, VaultResponseError } from "../../src/index.js";
import { malformed, mockClient, operation, SESSION_ID, useMockVault } from "../helpers.js";

const server = useMockVault();
const USER_TOKEN = "6f1c2b9e-5d4a-4c3b-9a8f-7e6d5c4b3a21";
// Every reply in this file breaks the contract on purpose (or tests the content-type
// parsing with bodies the contract does not state), so none of them is checked.
const json = (body: string, contentType: string | null = "application/json") =>
  malformed(
    contentType === null
      ? new HttpResponse(new TextEncoder().encode(body)) // bytes get no default content type
      : new HttpResponse(body, { headers: { "content-type": contentType } }),
  );

// Any unhandled rejection during this file fails it: a bad reply must surface as a
// rejected call, never as a crash somewhere else.
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
beforeAll(() => {
  process.on("unhandledRejection", onUnhandled);
});
afterAll(() => {
  process.off("unhandledRejection", onUnhandled);
  expect(unhandled).toEqual([]);
});

describe("a reply that breaks the contract -> VaultResponseError", () => {
  it.each([
    ["a non-JSON body", () => json("<html>It works!</html>"), "the vault's reply is not valid JSON"],
    ["truncated JSON", () => json('{"status":"ok","sessiondata":{"a":'), "the vault's reply is not valid JSON"],
    ["an empty body", () => json(""), "the vault's reply is empty"],
    [
      "no body at all (204)",
      () => malformed(new HttpResponse(null, { status: 204 })),
      "expected an application/json reply, got none",
    ],
    ["a text/html content type", () => json('{"status":"ok","sessiondata":{}}', "text/html"), 'got "text/html"'],
    ["no content type", () => json('{"status":"ok","sessiondata":{}}', null), "got none"],
    ["a JSON array", () => json("[]"), 'not {"status":"ok", ...}'],
    ["JSON null", () => json("null"), 'not {"status":"ok", ...}'],
    ["status other than ok", () => json('{"status":"error","message":"hmm"}'), 'not {"status":"ok", ...}'],
    ["no status", () => json('{"sessiondata":{}}'), 'not {"status":"ok", ...}'],
    [
      "sessiondata that is not an object",
      () => json('{"status":"ok","sessiondata":"a string"}'),
      "no `sessiondata` object",
    ],
    ["sessiondata that is an array", () => json('{"status":"ok","sessiondata":[1,2]}'), "no `sessiondata` object"],
  ])("getSession with %s", async (_name, reply, message) => {
    server.use(operation("SessionGet", reply).handler);
    const error = await mockClient()
      .getSession(SESSION_ID)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VaultResponseError);
    expect(error).toMatchObject({ operation: "SessionGet", code: "bad_response", retryable: false });
    expect((error as Error).message).toContain(message);
  });

  it("is not retried: the vault answered, and answering again will not fix it", async () => {
    const op = operation("SessionGet", () => json("not json"));
    server.use(op.handler);
    await expect(mockClient().getSession(SESSION_ID)).rejects.toBeInstanceOf(VaultResponseError);
    expect(op.received).toHaveLength(1);
  });

  it("accepts JSON content types with parameters and +json suffixes", async () => {
    server.use(
      operation("SessionGet", () => json('{"status":"ok","sessiondata":{"a":1}}', "Application/JSON; charset=utf-8"))
        .handler,
      operation("SessionDelete", () => json('{"status":"ok"}', "application/vnd.sessionvault+json")).handler,
    );
    await expect(mockClient().getSession(SESSION_ID)).resolves.toMatchObject({ data: { a: 1 } });
    await expect(mockClient().deleteSession(SESSION_ID)).resolves.toBeUndefined();
  });

  it("does not accept look-alike content types", async () => {
    server.use(operation("SessionGet", () => json('{"status":"ok","sessiondata":{}}', "application/jsonp")).handler);
    await expect(mockClient().getSession(SESSION_ID)).rejects.toBeInstanceOf(VaultResponseError);
  });

  const missingFields: [string, string, (v: VaultClient) => Promise<unknown>, string][] = [
    ["touchSession", "SessionTouch", (v) => v.touchSession(SESSION_ID), "[]"],
    [
      "listUserSessions without rows",
      "SessionListUserSessions",
      (v) => v.listUserSessions("email", "a@b.c"),
      '{"status":"ok"}',
    ],
    [
      "listUserSessions with a bad row",
      "SessionListUserSessions",
      (v) => v.listUserSessions("email", "a@b.c"),
      '{"status":"ok","rows":[{"sessiondata":{}}]}',
    ],
    [
      "listUserSessions with a row that is not an object",
      "SessionListUserSessions",
      (v) => v.listUserSessions("email", "a@b.c"),
      '{"status":"ok","rows":[7]}',
    ],
    [
      "revokeUserSessions",
      "SessionRevokeUser",
      (v) => v.revokeUserSessions("email", "a@b.c"),
      '{"status":"ok","deleted":"3"}',
    ],
    ["createUser", "UserCreate", (v) => v.createUser({}), '{"status":"ok"}'],
    [
      "getUser without a profile",
      "UserGet",
      (v) => v.getUser("token", USER_TOKEN),
      `{"status":"ok","token":"${USER_TOKEN}"}`,
    ],
    ["getUser without a token", "UserGet", (v) => v.getUser("token", USER_TOKEN), '{"status":"ok","profile":{}}'],
    ["createToken", "TokenCreate", (v) => v.createToken("string", "x"), '{"status":"ok","tokenuuid":"u"}'],
    [
      "createTokens without created",
      "TokenCreateBulk",
      (v) => v.createTokens([{ tokentype: "string", record: "x" }]),
      '{"status":"ok"}',
    ],
    [
      "createTokens with a bad item",
      "TokenCreateBulk",
      (v) => v.createTokens([{ tokentype: "string", record: "x" }]),
      '{"status":"ok","created":[null]}',
    ],
    ["getToken", "TokenGet", (v) => v.getToken("t"), '{"status":"ok","record":5,"tokentype":"string"}'],
  ];
  it.each(missingFields)("%s with a reply missing what the contract requires", async (_name, name, call, body) => {
    server.use(operation(name, () => json(body)).handler);
    const error = await call(mockClient()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VaultResponseError);
    expect((error as VaultResponseError).operation).toBe(name);
  });
});

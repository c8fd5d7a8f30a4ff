import { HttpResponse } from "msw/http";
import { describe, expect, it } from "vitest";
import type { VaultClient } from "../../src/index.js";
import {
  malformed,
  mockClient,
  operation,
  type Reply,
  SESSION_ID,
  sessionReply,
  TOKEN,
  useMockVault,
  vaultError,
} from "../helpers.js";

const server = useMockVault();
const USER_TOKEN = "6f1c2b9e-5d4a-4c3b-9a8f-7e6d5c4b3a21";
const TOKEN_UUID = "0b7e4a1c-2d3f-4e5a-8b6c-7d8e9f0a1b2c";
const SESSION = { version: 3, created: 1_763_700_000_000, lastused: 1_763_703_600_000, expires: 1_763_705_400_000 };
/** A Databunker reply: it lacks the sessionvault extensions the contract requires. */
const databunker = (body: Record<string, unknown>) => () => malformed(HttpResponse.json(body));

interface WireCase {
  name: string;
  operation: string;
  call: (vault: VaultClient) => Promise<unknown>;
  body: Record<string, unknown>;
  reply: Record<string, unknown> | Reply;
  result: unknown;
}

// One row per facade method (and per option that changes the wire): what goes out, what comes back.
const cases: WireCase[] = [
  {
    name: "upsertSession",
    operation: "SessionUpsert",
    call: (v) => v.upsertSession(SESSION_ID, { user: "ada", cart: ["sku-1"] }),
    body: { sessionuuid: SESSION_ID, sessiondata: { user: "ada", cart: ["sku-1"] } },
    reply: { status: "ok", version: 1 },
    result: { version: 1 },
  },
  {
    name: "upsertSession with windows, user link, version check and metadata",
    operation: "SessionUpsert",
    call: (v) =>
      v.upsertSession(
        SESSION_ID,
        { user: "ada" },
        {
          slidingtime: "30m",
          finaltime: 1_900_000_000,
          usertoken: USER_TOKEN,
          expectversion: 0,
          requestMetadata: { route: "/login" },
        },
      ),
    body: {
      sessionuuid: SESSION_ID,
      sessiondata: { user: "ada" },
      slidingtime: "30m",
      finaltime: 1_900_000_000,
      usertoken: USER_TOKEN,
      expectversion: 0,
      request_metadata: { route: "/login" },
    },
    reply: { status: "ok", version: 1 },
    result: { version: 1 },
  },
  {
    name: "upsertSession with usertoken null unlinks with an empty string",
    operation: "SessionUpsert",
    call: (v) => v.upsertSession(SESSION_ID, { user: "ada" }, { usertoken: null }),
    body: { sessionuuid: SESSION_ID, sessiondata: { user: "ada" }, usertoken: "" },
    reply: { status: "ok", version: 4 },
    result: { version: 4 },
  },
  {
    name: "upsertSession against a server without versions (Databunker) reports version 0",
    operation: "SessionUpsert",
    call: (v) => v.upsertSession(SESSION_ID, { user: "ada" }),
    body: { sessionuuid: SESSION_ID, sessiondata: { user: "ada" } },
    reply: { status: "ok" },
    result: { version: 0 },
  },
  {
    name: "getSession",
    operation: "SessionGet",
    call: (v) => v.getSession(SESSION_ID),
    body: { sessionuuid: SESSION_ID },
    reply: { status: "ok", sessiondata: { user: "ada" }, ...SESSION, usertoken: USER_TOKEN },
    result: { data: { user: "ada" }, ...SESSION, usertoken: USER_TOKEN },
  },
  {
    name: "getSession against a server without metadata (Databunker)",
    operation: "SessionGet",
    call: (v) => v.getSession(SESSION_ID),
    body: { sessionuuid: SESSION_ID },
    reply: databunker({ status: "ok", sessiondata: { user: "ada" } }),
    result: { data: { user: "ada" }, version: 0, created: 0, lastused: 0, expires: null, usertoken: null },
  },
  {
    name: "deleteSession",
    operation: "SessionDelete",
    call: (v) => v.deleteSession(SESSION_ID, { requestMetadata: { reason: "logout" } }),
    body: { sessionuuid: SESSION_ID, request_metadata: { reason: "logout" } },
    reply: { status: "ok" },
    result: undefined,
  },
  {
    name: "touchSession",
    operation: "SessionTouch",
    call: (v) => v.touchSession(SESSION_ID, { slidingtime: "1h" }),
    body: { sessionuuid: SESSION_ID, slidingtime: "1h" },
    reply: { status: "ok", expires: 1_763_707_200_000 },
    result: { expires: 1_763_707_200_000 },
  },
  {
    name: "touchSession of a session without a window",
    operation: "SessionTouch",
    call: (v) => v.touchSession(SESSION_ID),
    body: { sessionuuid: SESSION_ID },
    reply: { status: "ok", expires: null },
    result: { expires: null },
  },
  {
    name: "patchSession",
    operation: "SessionPatch",
    call: (v) =>
      v.patchSession<{ cart: string[]; flash: string }>(
        SESSION_ID,
        { set: { cart: ["sku-2"] }, unset: ["flash"] },
        { create: true, slidingtime: "30m", finaltime: "7d", usertoken: USER_TOKEN, expectversion: 3 },
      ),
    body: {
      sessionuuid: SESSION_ID,
      set: { cart: ["sku-2"] },
      unset: ["flash"],
      create: true,
      slidingtime: "30m",
      finaltime: "7d",
      usertoken: USER_TOKEN,
      expectversion: 3,
    },
    reply: { status: "ok", version: 4 },
    result: { version: 4 },
  },
  {
    name: "listUserSessions",
    operation: "SessionListUserSessions",
    call: (v) => v.listUserSessions("email", "ada@example.com", { offset: 10, limit: 5 }),
    body: { mode: "email", identity: "ada@example.com", offset: 10, limit: 5 },
    reply: {
      status: "ok",
      rows: [{ sessionuuid: SESSION_ID, sessiondata: { user: "ada" }, ...SESSION, usertoken: USER_TOKEN }],
      total: 11,
    },
    result: {
      rows: [{ sessionuuid: SESSION_ID, data: { user: "ada" }, ...SESSION, usertoken: USER_TOKEN }],
      total: 11,
    },
  },
  {
    name: "listUserSessions without a total (Databunker) counts the rows",
    operation: "SessionListUserSessions",
    call: (v) => v.listUserSessions("token", USER_TOKEN),
    body: { mode: "token", identity: USER_TOKEN },
    reply: databunker({ status: "ok", rows: [{ sessionuuid: SESSION_ID, sessiondata: {} }] }),
    result: {
      rows: [
        { sessionuuid: SESSION_ID, data: {}, version: 0, created: 0, lastused: 0, expires: null, usertoken: null },
      ],
      total: 1,
    },
  },
  {
    name: "revokeUserSessions",
    operation: "SessionRevokeUser",
    call: (v) => v.revokeUserSessions("login", "ada", { keep: [SESSION_ID] }),
    body: { mode: "login", identity: "ada", keep: [SESSION_ID] },
    reply: { status: "ok", deleted: 3 },
    result: { deleted: 3 },
  },
  {
    name: "createUser",
    operation: "UserCreate",
    call: (v) => v.createUser({ email: "ada@example.com", name: "Ada" }, { slidingtime: "7d", finaltime: "30d" }),
    body: { profile: { email: "ada@example.com", name: "Ada" }, slidingtime: "7d", finaltime: "30d" },
    reply: { status: "ok", token: USER_TOKEN },
    result: { token: USER_TOKEN },
  },
  {
    name: "getUser",
    operation: "UserGet",
    call: (v) => v.getUser("phone", "+441234567890"),
    body: { mode: "phone", identity: "+441234567890" },
    reply: { status: "ok", token: USER_TOKEN, profile: { phone: "+441234567890" } },
    result: { token: USER_TOKEN, profile: { phone: "+441234567890" } },
  },
  {
    name: "updateUser",
    operation: "UserUpdate",
    call: (v) => v.updateUser("custom", "crm-42", { custom: "crm-42", email: "ada@example.org" }),
    body: { mode: "custom", identity: "crm-42", profile: { custom: "crm-42", email: "ada@example.org" } },
    reply: { status: "ok" },
    result: undefined,
  },
  {
    name: "deleteUser",
    operation: "UserDelete",
    call: (v) => v.deleteUser("token", USER_TOKEN),
    body: { mode: "token", identity: USER_TOKEN },
    reply: { status: "ok" },
    result: undefined,
  },
  {
    name: "createToken",
    operation: "TokenCreate",
    call: (v) =>
      v.createToken("creditcard", "4111111111111111", {
        unique: true,
        baselookup: true,
        slidingtime: "1h",
        finaltime: "1d",
      }),
    body: {
      tokentype: "creditcard",
      record: "4111111111111111",
      unique: true,
      baselookup: true,
      slidingtime: "1h",
      finaltime: "1d",
    },
    reply: { status: "ok", tokenuuid: USER_TOKEN, tokenbase: "4929380491231111" },
    result: { tokenuuid: USER_TOKEN, tokenbase: "4929380491231111" },
  },
  {
    name: "createTokens",
    operation: "TokenCreateBulk",
    call: (v) =>
      v.createTokens(
        [
          { tokentype: "email", record: "ada@example.com" },
          { tokentype: "ssn", record: "078-05-1120" },
        ],
        { unique: false, baselookup: false, finaltime: "1d" },
      ),
    body: {
      records: [
        { tokentype: "email", record: "ada@example.com" },
        { tokentype: "ssn", record: "078-05-1120" },
      ],
      unique: false,
      baselookup: false,
      finaltime: "1d",
    },
    reply: {
      status: "ok",
      created: [
        { tokenuuid: USER_TOKEN, tokenbase: "qzr@example.com", tokentype: "email" },
        { tokenuuid: TOKEN_UUID, tokenbase: "912-44-0213", tokentype: "ssn" },
      ],
    },
    result: [
      { tokenuuid: USER_TOKEN, tokenbase: "qzr@example.com", tokentype: "email" },
      { tokenuuid: TOKEN_UUID, tokenbase: "912-44-0213", tokentype: "ssn" },
    ],
  },
  {
    name: "getToken",
    operation: "TokenGet",
    call: (v) => v.getToken("4929380491231111"),
    body: { token: "4929380491231111" },
    reply: { status: "ok", record: "4111111111111111", tokentype: "creditcard" },
    result: { record: "4111111111111111", tokentype: "creditcard" },
  },
  {
    name: "deleteToken",
    operation: "TokenDelete",
    call: (v) => v.deleteToken(USER_TOKEN),
    body: { token: USER_TOKEN },
    reply: { status: "ok" },
    result: undefined,
  },
];

describe("wire shape of every operation", () => {
  it.each(cases)("$name -> POST /v2/$operation", async ({ operation: name, call, body, reply, result }) => {
    const op = operation(name, reply);
    server.use(op.handler);

    await expect(call(mockClient())).resolves.toEqual(result);

    expect(op.received).toHaveLength(1);
    const [request] = op.received;
    expect(request?.method).toBe("POST");
    expect(request?.path).toBe(`/v2/${name}`);
    expect(request?.headers.get("x-bunker-token")).toBe(TOKEN);
    expect(request?.headers.get("x-bunker-tenant")).toBeNull();
    expect(request?.headers.get("content-type")).toBe("application/json");
    expect(request?.headers.get("accept")).toBe("application/json");
    expect(request?.body).toStrictEqual(body);
  });

  it("covers every facade method", () => {
    const methods = Object.keys(mockClient()).filter((key) => key !== "raw");
    const covered = new Set(cases.map((c) => c.name.split(" ")[0]));
    expect(methods.filter((m) => !covered.has(m))).toEqual([]);
  });

  it("sends X-Bunker-Tenant when a tenant is configured", async () => {
    const op = operation("SessionGet", sessionReply());
    server.use(op.handler);
    await mockClient({ tenant: "acme" }).getSession(SESSION_ID);
    expect(op.received[0]?.headers.get("x-bunker-tenant")).toBe("acme");
  });

  it("sends extra headers, but they cannot replace the auth headers", async () => {
    const op = operation("SessionGet", sessionReply());
    server.use(op.handler);
    for (const forged of <Record<string, string>[]>[
      { "X-Request-Id": "r-1", "X-Bunker-Token": "forged", "X-Bunker-Tenant": "other" },
      { "X-Request-Id": "r-1", "x-bunker-token": "forged", "x-BUNKER-tenant": "other" },
    ]) {
      await mockClient({ tenant: "acme", headers: forged }).getSession(SESSION_ID);
      const headers = op.received.at(-1)?.headers;
      expect(headers?.get("x-request-id")).toBe("r-1");
      expect(headers?.get("x-bunker-token")).toBe(TOKEN);
      expect(headers?.get("x-bunker-tenant")).toBe("acme");
    }
  });

  it("joins a baseUrl with a trailing slash without doubling it", async () => {
    const op = operation("SessionDelete", { status: "ok" });
    server.use(op.handler);
    await mockClient({ baseUrl: "http://vault.test/" }).deleteSession(SESSION_ID);
    expect(op.received[0]?.path).toBe("/v2/SessionDelete");
  });

  it("returns null for a missing session, user, token or touch target (404)", async () => {
    const notFound = () => vaultError(404, "not found");
    for (const name of ["SessionGet", "SessionTouch", "SessionPatch", "UserGet", "TokenGet"]) {
      server.use(operation(name, notFound).handler);
    }
    const vault = mockClient();
    await expect(vault.getSession(SESSION_ID)).resolves.toBeNull();
    await expect(vault.touchSession(SESSION_ID)).resolves.toBeNull();
    await expect(vault.patchSession(SESSION_ID, { set: { a: 1 } })).resolves.toBeNull();
    await expect(vault.getUser("email", "nobody@example.com")).resolves.toBeNull();
    await expect(vault.getToken("nope")).resolves.toBeNull();
  });

  it("uses a custom fetch for every call", async () => {
    const seen: string[] = [];
    const vault = mockClient({
      fetch: async (input, init) => {
        seen.push(`${init?.method} ${String(input)}`);
        return Response.json(sessionReply({ via: "custom" }));
      },
    });
    await expect(vault.getSession(SESSION_ID)).resolves.toMatchObject({ data: { via: "custom" } });
    expect(seen).toEqual(["POST http://vault.test/v2/SessionGet"]);
  });

  it("exposes the typed openapi-fetch client with the auth headers set", async () => {
    const op = operation("SessionGet", sessionReply({ raw: true }));
    server.use(op.handler);
    const { data } = await mockClient().raw.POST("/v2/SessionGet", { body: { sessionuuid: SESSION_ID } });
    expect(data?.sessiondata).toEqual({ raw: true });
    expect(op.received[0]?.headers.get("x-bunker-token")).toBe(TOKEN);
  });
});

import { HttpResponse } from "msw/http";
import { describe, expect, it } from "vitest";
import {
  VaultAuthError,
  type VaultClient,
  VaultNetworkError,
  VaultNotFoundError,
  VaultUnavailableError,
  VaultValidationError,
} from "../../src/index.js";
import {
  anyStatus,
  malformed,
  mockClient,
  operation,
  SESSION_ID,
  sessionReply,
  useMockVault,
  vaultError,
} from "../helpers.js";

const server = useMockVault();
const USER_TOKEN = "6f1c2b9e-5d4a-4c3b-9a8f-7e6d5c4b3a21";

interface Case {
  name: string;
  operation: string;
  call: (vault: VaultClient) => Promise<unknown>;
  ok: Record<string, unknown>;
}

// Safe to repeat: reads, deletes, touch, and writes of absolute values without a version check.
const repeatable: Case[] = [
  {
    name: "getSession",
    operation: "SessionGet",
    call: (v) => v.getSession(SESSION_ID),
    ok: sessionReply(),
  },
  { name: "deleteSession", operation: "SessionDelete", call: (v) => v.deleteSession(SESSION_ID), ok: { status: "ok" } },
  {
    name: "touchSession",
    operation: "SessionTouch",
    call: (v) => v.touchSession(SESSION_ID),
    ok: { status: "ok", expires: 1 },
  },
  {
    name: "upsertSession without expectversion",
    operation: "SessionUpsert",
    call: (v) => v.upsertSession(SESSION_ID, { a: 1 }),
    ok: { status: "ok", version: 2 },
  },
  {
    name: "patchSession without expectversion",
    operation: "SessionPatch",
    call: (v) => v.patchSession(SESSION_ID, { set: { a: 1 }, unset: ["b"] }, { create: true }),
    ok: { status: "ok", version: 2 },
  },
  {
    name: "listUserSessions",
    operation: "SessionListUserSessions",
    call: (v) => v.listUserSessions("email", "ada@example.com"),
    ok: { status: "ok", rows: [] },
  },
  {
    name: "revokeUserSessions",
    operation: "SessionRevokeUser",
    call: (v) => v.revokeUserSessions("email", "ada@example.com"),
    ok: { status: "ok", deleted: 0 },
  },
  {
    name: "getUser",
    operation: "UserGet",
    call: (v) => v.getUser("email", "ada@example.com"),
    ok: { status: "ok", token: USER_TOKEN, profile: {} },
  },
  {
    name: "updateUser",
    operation: "UserUpdate",
    call: (v) => v.updateUser("token", USER_TOKEN, {}),
    ok: { status: "ok" },
  },
  { name: "deleteUser", operation: "UserDelete", call: (v) => v.deleteUser("token", USER_TOKEN), ok: { status: "ok" } },
  {
    name: "createToken with unique",
    operation: "TokenCreate",
    call: (v) => v.createToken("email", "ada@example.com", { unique: true }),
    ok: { status: "ok", tokenuuid: USER_TOKEN, tokenbase: "x" },
  },
  {
    name: "createTokens with unique",
    operation: "TokenCreateBulk",
    call: (v) => v.createTokens([{ tokentype: "email", record: "ada@example.com" }], { unique: true }),
    ok: { status: "ok", created: [] },
  },
  {
    name: "getToken",
    operation: "TokenGet",
    call: (v) => v.getToken(USER_TOKEN),
    ok: { status: "ok", record: "r", tokentype: "string" },
  },
  { name: "deleteToken", operation: "TokenDelete", call: (v) => v.deleteToken(USER_TOKEN), ok: { status: "ok" } },
];

// A repeat could change the outcome: a second user or token, or a false version conflict.
const sentOnce: Case[] = [
  {
    name: "createUser",
    operation: "UserCreate",
    call: (v) => v.createUser({ email: "ada@example.com" }),
    ok: { status: "ok", token: USER_TOKEN },
  },
  {
    name: "createToken without unique",
    operation: "TokenCreate",
    call: (v) => v.createToken("email", "ada@example.com"),
    ok: { status: "ok", tokenuuid: USER_TOKEN, tokenbase: "x" },
  },
  {
    name: "createToken with unique: false",
    operation: "TokenCreate",
    call: (v) => v.createToken("email", "ada@example.com", { unique: false }),
    ok: { status: "ok", tokenuuid: USER_TOKEN, tokenbase: "x" },
  },
  {
    name: "createTokens without unique",
    operation: "TokenCreateBulk",
    call: (v) => v.createTokens([{ tokentype: "email", record: "ada@example.com" }]),
    ok: { status: "ok", created: [] },
  },
  {
    name: "upsertSession with expectversion",
    operation: "SessionUpsert",
    call: (v) => v.upsertSession(SESSION_ID, { a: 1 }, { expectversion: 1 }),
    ok: { status: "ok", version: 2 },
  },
  {
    name: "patchSession with expectversion",
    operation: "SessionPatch",
    call: (v) => v.patchSession(SESSION_ID, { unset: ["b"] }, { expectversion: 1 }),
    ok: { status: "ok", version: 2 },
  },
];

/** Answers with `failures` in turn, then with the ok body. */
function flaky(name: string, ok: Record<string, unknown>, ...failures: (() => Response)[]) {
  return operation(name, (_received, attempt) => failures[attempt - 1]?.() ?? HttpResponse.json(ok));
}

describe("which operations are retried", () => {
  // A draining vault (or its proxy) answers 503 to any operation, listed or not.
  const draining = () => anyStatus(vaultError(503, "draining"));

  it.each(repeatable)("$name is retried after a 503", async ({ operation: name, call, ok }) => {
    const op = flaky(name, ok, draining);
    server.use(op.handler);
    await expect(call(mockClient())).resolves.not.toBeInstanceOf(Error);
    expect(op.received).toHaveLength(2);
    expect(op.received[1]?.body).toStrictEqual(op.received[0]?.body);
  });

  it.each(sentOnce)("$name is sent once, even when the network fails", async ({ operation: name, call, ok }) => {
    const op = flaky(name, ok, () => HttpResponse.error());
    server.use(op.handler);
    await expect(call(mockClient())).rejects.toBeInstanceOf(VaultNetworkError);
    expect(op.received).toHaveLength(1);
  });

  it.each(sentOnce)("$name is sent once after a 503", async ({ operation: name, call, ok }) => {
    const op = flaky(name, ok, draining);
    server.use(op.handler);
    await expect(call(mockClient())).rejects.toBeInstanceOf(VaultUnavailableError);
    expect(op.received).toHaveLength(1);
  });
});

describe("which failures are retried", () => {
  const get = (vault: VaultClient) => vault.getSession(SESSION_ID);
  const ok = sessionReply({ n: 1 });

  it.each([
    ["a network error", () => HttpResponse.error()],
    ["429", () => anyStatus(vaultError(429, "slow down"))],
    ["502", () => malformed(new HttpResponse("Bad Gateway", { status: 502 }))],
    ["503", () => anyStatus(vaultError(503, "draining"))],
    ["504", () => malformed(new HttpResponse(null, { status: 504 }))],
  ])("retries %s", async (_name, failure) => {
    const op = flaky("SessionGet", ok, failure, failure);
    server.use(op.handler);
    await expect(get(mockClient())).resolves.toMatchObject({ data: { n: 1 } });
    expect(op.received).toHaveLength(3);
  });

  it.each([
    ["500 (a fault inside the vault)", 500, VaultUnavailableError],
    ["400", 400, VaultValidationError],
    ["403", 403, VaultAuthError],
  ])("does not retry %s", async (_name, status, type) => {
    const op = flaky("SessionGet", ok, () => vaultError(status));
    server.use(op.handler);
    await expect(get(mockClient())).rejects.toBeInstanceOf(type);
    expect(op.received).toHaveLength(1);
  });

  it("gives up after `retries` extra attempts and throws the last failure", async () => {
    let n = 0;
    const op = operation("SessionGet", () => anyStatus(vaultError(503, `attempt ${++n}`)));
    server.use(op.handler);
    const error = await get(mockClient({ retry: { retries: 3, minDelayMs: 1, maxDelayMs: 1 } })).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(VaultUnavailableError);
    expect((error as Error).message).toBe("attempt 4");
    expect(op.received).toHaveLength(4);
  });

  it("does not retry with retry: false", async () => {
    const op = flaky("SessionGet", ok, () => anyStatus(vaultError(503)));
    server.use(op.handler);
    await expect(get(mockClient({ retry: false }))).rejects.toBeInstanceOf(VaultUnavailableError);
    expect(op.received).toHaveLength(1);
  });

  it("retries twice by default", async () => {
    const op = operation("SessionGet", () => anyStatus(vaultError(503)));
    server.use(op.handler);
    await expect(get(mockClient({ retry: { minDelayMs: 1, maxDelayMs: 1 } }))).rejects.toBeInstanceOf(
      VaultUnavailableError,
    );
    expect(op.received).toHaveLength(3);
  });
});

describe("deletes that were retried", () => {
  it("count a 404 on a repeat as done: the lost reply's attempt deleted the record", async () => {
    for (const name of ["UserDelete", "TokenDelete"]) {
      server.use(
        flaky(
          name,
          { status: "ok" },
          () => anyStatus(vaultError(503)),
          () => vaultError(404, "not found"),
        ).handler,
      );
    }
    const vault = mockClient();
    await expect(vault.deleteUser("token", USER_TOKEN)).resolves.toBeUndefined();
    await expect(vault.deleteToken(USER_TOKEN)).resolves.toBeUndefined();
  });

  it("still report a 404 on the first attempt", async () => {
    server.use(operation("UserDelete", () => vaultError(404, "not found")).handler);
    await expect(mockClient().deleteUser("token", USER_TOKEN)).rejects.toBeInstanceOf(VaultNotFoundError);
  });
});

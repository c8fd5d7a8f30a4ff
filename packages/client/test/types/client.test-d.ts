import { describe, expectTypeOf, it } from "vitest";
import {
  createVaultClient,
  isVaultError,
  type Profile,
  type TokenType,
  type VaultClient,
  type VaultError,
  type VaultErrorCode,
  type VaultSession,
  type VaultSessionRow,
} from "../../src/index.js";

declare const vault: VaultClient;
interface Cart {
  user: string;
  items: string[];
}

describe("createVaultClient", () => {
  it("requires baseUrl and token and types the options", () => {
    expectTypeOf(createVaultClient({ baseUrl: "http://x", token: "t" })).toEqualTypeOf<VaultClient>();
    // @ts-expect-error token is required
    createVaultClient({ baseUrl: "http://x" });
    // @ts-expect-error timeoutMs is a number of milliseconds
    createVaultClient({ baseUrl: "http://x", token: "t", timeoutMs: "5s" });
    // @ts-expect-error retry is options or false, not true
    createVaultClient({ baseUrl: "http://x", token: "t", retry: true });
    // @ts-expect-error unknown option
    createVaultClient({ baseUrl: "http://x", token: "t", retries: 3 });
    createVaultClient({ baseUrl: "http://x", token: "t", retry: false, fetch: globalThis.fetch, headers: { a: "b" } });
  });
});

describe("sessions", () => {
  it("carries the session-data type through getSession and listUserSessions", async () => {
    expectTypeOf(await vault.getSession<Cart>("id")).toEqualTypeOf<VaultSession<Cart> | null>();
    expectTypeOf(await vault.getSession("id")).toEqualTypeOf<VaultSession<Record<string, unknown>> | null>();
    const session = await vault.getSession<Cart>("id");
    expectTypeOf(session!.data.items).toEqualTypeOf<string[]>();
    expectTypeOf(session!.expires).toEqualTypeOf<number | null>();
    const { rows, total } = await vault.listUserSessions<Cart>("email", "a@b.c");
    expectTypeOf(rows).toEqualTypeOf<VaultSessionRow<Cart>[]>();
    expectTypeOf(rows[0]!.sessionuuid).toEqualTypeOf<string>();
    expectTypeOf(total).toEqualTypeOf<number>();
  });

  it("rejects wrongly shaped session calls", () => {
    // @ts-expect-error session data must be an object
    vault.upsertSession("id", "a string");
    // @ts-expect-error session data must be an object
    vault.upsertSession("id", 42);
    // @ts-expect-error the session id is a string
    vault.getSession(123);
    // @ts-expect-error session-data types are objects
    vault.getSession<string>("id");
    // @ts-expect-error finaltime is a duration string or unix seconds, not a Date
    vault.upsertSession("id", {}, { finaltime: new Date() });
    // @ts-expect-error expectversion is a number
    vault.upsertSession("id", {}, { expectversion: "1" });
    // @ts-expect-error slidingtime is the only window touch takes
    vault.touchSession("id", { finaltime: "1d" });
    // @ts-expect-error set must match the session-data type
    vault.patchSession<Cart>("id", { set: { items: "sku-1" } });
    // @ts-expect-error unset lists key names
    vault.patchSession<Cart>("id", { unset: "items" });
    // @ts-expect-error requestMetadata is an object
    vault.deleteSession("id", { requestMetadata: "logout" });
    // @ts-expect-error signal must be an AbortSignal
    vault.getSession("id", { signal: new AbortController() });
  });

  it("returns what each operation promises", async () => {
    expectTypeOf(await vault.upsertSession("id", { a: 1 })).toEqualTypeOf<{ version: number }>();
    expectTypeOf(await vault.patchSession("id", { set: { a: 1 } })).toEqualTypeOf<{ version: number } | null>();
    expectTypeOf(await vault.touchSession("id")).toEqualTypeOf<{ expires: number | null } | null>();
    expectTypeOf(await vault.deleteSession("id")).toEqualTypeOf<void>();
    expectTypeOf(await vault.revokeUserSessions("token", "t", { keep: ["id"] })).toEqualTypeOf<{ deleted: number }>();
  });
});

describe("users and tokens", () => {
  it("accepts only the contract's modes and token types", () => {
    // @ts-expect-error "username" is not a mode
    vault.getUser("username", "ada");
    // @ts-expect-error "iban" is not a token type
    vault.createToken("iban", "DE89370400440532013000");
    // @ts-expect-error a bulk record needs a tokentype
    vault.createTokens([{ record: "x" }]);
    // @ts-expect-error identities in a profile are strings
    vault.createUser({ email: 42 });
    expectTypeOf<TokenType>().toEqualTypeOf<"creditcard" | "email" | "phone" | "ssn" | "string">();
  });

  it("returns typed users and tokens", async () => {
    expectTypeOf(await vault.createUser({ email: "a@b.c" })).toEqualTypeOf<{ token: string }>();
    expectTypeOf(await vault.getUser("email", "a@b.c")).toEqualTypeOf<{ token: string; profile: Profile } | null>();
    expectTypeOf(await vault.getToken("t")).toEqualTypeOf<{ record: string; tokentype: TokenType } | null>();
    const created = await vault.createTokens([{ tokentype: "email", record: "a@b.c" }]);
    expectTypeOf(created[0]!.tokentype).toEqualTypeOf<TokenType>();
  });

  it("types the raw client from the contract", async () => {
    const { data } = await vault.raw.POST("/v2/SessionGet", { body: { sessionuuid: "id" } });
    expectTypeOf(data!.sessiondata).toEqualTypeOf<{ [key: string]: unknown }>();
    // @ts-expect-error SessionGet needs a sessionuuid
    vault.raw.POST("/v2/SessionGet", { body: {} });
    // @ts-expect-error no such operation
    vault.raw.POST("/v2/SessionSteal", { body: {} });
  });
});

describe("errors", () => {
  it("narrows with isVaultError", () => {
    const error: unknown = new Error("x");
    if (isVaultError(error)) {
      expectTypeOf(error).toEqualTypeOf<VaultError>();
      expectTypeOf(error.code).toEqualTypeOf<VaultErrorCode>();
      expectTypeOf(error.status).toEqualTypeOf<number>();
    }
  });
});

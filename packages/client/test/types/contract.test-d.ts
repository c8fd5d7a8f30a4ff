import { describe, expectTypeOf, it } from "vitest";
import type {
  CallOptions,
  CreatedToken,
  components,
  Mode,
  PatchSessionOptions,
  Profile,
  SessionPatch,
  TokenType,
  UpsertSessionOptions,
  VaultClient,
  VaultSession,
  VaultSessionRow,
  WindowOptions,
} from "../../src/index.js";

// Each public type that mirrors a contract shape, held against the generated schema
// (openapi/sessionvault.yaml). When the contract changes a field, or someone types a
// public shape by hand and it drifts, this file stops type-checking. `.branded`
// compares the resolved shapes deeply, so an interface equals the intersection of
// contract picks it stands for.

type S = components["schemas"];
/** A reply without its `"status": "ok"` marker. */
type Reply<Name extends keyof S> = Omit<S[Name], "status">;
/** What a method resolves to. */
type Returns<M extends keyof VaultClient> = VaultClient[M] extends (...args: never[]) => Promise<infer R> ? R : never;
/** The options a method takes, without the per-call ones. */
type OptionsOf<M extends keyof VaultClient, I extends number> = VaultClient[M] extends (...args: infer A) => unknown
  ? Omit<NonNullable<A[I]>, keyof CallOptions>
  : never;
interface Cart {
  items: string[];
}
declare const vault: VaultClient;

describe("the public types are the contract's", () => {
  it("names the contract's enums and profile", () => {
    expectTypeOf<Mode>().branded.toEqualTypeOf<S["Mode"]>();
    expectTypeOf<TokenType>().branded.toEqualTypeOf<S["TokenType"]>();
    expectTypeOf<Profile>().branded.toEqualTypeOf<S["Profile"]>();
    expectTypeOf<CallOptions["requestMetadata"]>().branded.toEqualTypeOf<S["RequestMetadata"] | undefined>();
  });

  it("takes the windows every write request states", () => {
    type Windows<Name extends keyof S> = Pick<S[Name], "slidingtime" & keyof S[Name]> &
      Pick<S[Name], "finaltime" & keyof S[Name]>;
    expectTypeOf<WindowOptions>().branded.toEqualTypeOf<Windows<"SessionUpsertRequest">>();
    expectTypeOf<WindowOptions>().branded.toEqualTypeOf<Windows<"SessionPatchRequest">>();
    expectTypeOf<WindowOptions>().branded.toEqualTypeOf<Windows<"UserCreateRequest">>();
    expectTypeOf<WindowOptions>().branded.toEqualTypeOf<Windows<"TokenCreateRequest">>();
    expectTypeOf<WindowOptions>().branded.toEqualTypeOf<Windows<"TokenCreateBulkRequest">>();
  });

  it("reports a session as SessionGet's reply, renamed and filled in", () => {
    expectTypeOf<VaultSession<Cart>>().branded.toEqualTypeOf<
      { data: Cart } & Required<Omit<S["SessionGetResponse"], "status" | "sessiondata">>
    >();
    expectTypeOf<VaultSessionRow<Cart>>().branded.toEqualTypeOf<
      { data: Cart } & Required<Omit<S["SessionRow"], "sessiondata">>
    >();
  });

  it("writes sessions with the request fields of the contract", () => {
    type Upsert = S["SessionUpsertRequest"];
    expectTypeOf<Omit<UpsertSessionOptions, keyof CallOptions | "usertoken">>().branded.toEqualTypeOf<
      Pick<Upsert, "slidingtime" | "finaltime" | "expectversion">
    >();
    // The facade unlinks with null where the wire says "".
    expectTypeOf<UpsertSessionOptions["usertoken"]>().branded.toEqualTypeOf<Exclude<Upsert["usertoken"], ""> | null>();
    expectTypeOf<Omit<PatchSessionOptions, keyof CallOptions | "usertoken">>().branded.toEqualTypeOf<
      Pick<S["SessionPatchRequest"], "slidingtime" | "finaltime" | "expectversion" | "create">
    >();
    expectTypeOf<SessionPatch<Cart>["unset"]>().branded.toEqualTypeOf<S["SessionPatchRequest"]["unset"]>();
    expectTypeOf<OptionsOf<"touchSession", 1>>().branded.toEqualTypeOf<Pick<S["SessionTouchRequest"], "slidingtime">>();
    expectTypeOf<OptionsOf<"listUserSessions", 2>>().branded.toEqualTypeOf<
      Pick<S["SessionListUserSessionsRequest"], "offset" | "limit">
    >();
    expectTypeOf<OptionsOf<"revokeUserSessions", 2>>().branded.toEqualTypeOf<
      Pick<S["SessionRevokeUserRequest"], "keep">
    >();
  });

  it("resolves each session operation to its reply", () => {
    expectTypeOf<Returns<"upsertSession">>().branded.toEqualTypeOf<Required<Reply<"SessionWriteResponse">>>();
    expectTypeOf<Returns<"patchSession">>().branded.toEqualTypeOf<Required<Reply<"SessionWriteResponse">> | null>();
    expectTypeOf<Returns<"touchSession">>().branded.toEqualTypeOf<Required<Reply<"SessionTouchResponse">> | null>();
    expectTypeOf<Returns<"revokeUserSessions">>().branded.toEqualTypeOf<Reply<"SessionRevokeUserResponse">>();
    type Listed = Awaited<ReturnType<typeof vault.listUserSessions<Cart>>>;
    expectTypeOf<Omit<Listed, "rows">>().branded.toEqualTypeOf<
      Required<Omit<Reply<"SessionListUserSessionsResponse">, "rows">>
    >();
    expectTypeOf<Listed["rows"]>().branded.toEqualTypeOf<VaultSessionRow<Cart>[]>();
  });

  it("resolves each user and token operation to its reply", () => {
    expectTypeOf<Returns<"createUser">>().branded.toEqualTypeOf<Reply<"UserCreateResponse">>();
    expectTypeOf<Returns<"getUser">>().branded.toEqualTypeOf<Reply<"UserGetResponse"> | null>();
    expectTypeOf<Returns<"getToken">>().branded.toEqualTypeOf<Reply<"TokenGetResponse"> | null>();
    expectTypeOf<CreatedToken>().branded.toEqualTypeOf<Reply<"TokenCreateResponse">>();
    expectTypeOf<Returns<"createTokens">>().branded.toEqualTypeOf<S["TokenCreateBulkResponse"]["created"]>();
  });

  it("takes the request fields of the user and token operations", () => {
    expectTypeOf<Parameters<VaultClient["createUser"]>[0]>().branded.toEqualTypeOf<S["UserCreateRequest"]["profile"]>();
    expectTypeOf<Parameters<VaultClient["updateUser"]>[2]>().branded.toEqualTypeOf<S["UserUpdateRequest"]["profile"]>();
    expectTypeOf<Parameters<VaultClient["createTokens"]>[0]>().branded.toEqualTypeOf<
      S["TokenCreateBulkRequest"]["records"]
    >();
    expectTypeOf<OptionsOf<"createToken", 2>>().branded.toEqualTypeOf<
      Pick<S["TokenCreateRequest"], "unique" | "baselookup" | "slidingtime" | "finaltime">
    >();
    expectTypeOf<OptionsOf<"createTokens", 1>>().branded.toEqualTypeOf<
      Pick<S["TokenCreateBulkRequest"], "unique" | "baselookup" | "slidingtime" | "finaltime">
    >();
    expectTypeOf<Parameters<VaultClient["createToken"]>[1]>().branded.toEqualTypeOf<S["TokenRecord"]>();
  });

  it("takes ids and identities of the contract's types", () => {
    expectTypeOf<Parameters<VaultClient["getSession"]>[0]>().branded.toEqualTypeOf<S["SessionUuid"]>();
    expectTypeOf<Parameters<VaultClient["listUserSessions"]>[1]>().branded.toEqualTypeOf<S["Identity"]>();
    expectTypeOf<Parameters<VaultClient["getToken"]>[0]>().branded.toEqualTypeOf<S["TokenRefRequest"]["token"]>();
  });
});

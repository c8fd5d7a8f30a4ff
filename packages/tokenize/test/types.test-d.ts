import type { CreatedToken, Profile, VaultClient } from "@sessionvault/client";
import { describe, expectTypeOf, it } from "vitest";
import {
  type createTokenizer,
  detokenize,
  findPII,
  type PIIFinding,
  type PIIKind,
  resolveProfile,
  tokenize,
  tokenizeProfile,
} from "../src/index.js";

// Type tests: vitest checks them with tsc (typecheck in vitest.config.ts); the bodies never run.
declare const client: VaultClient;

describe("public types", () => {
  it("findPII returns paths and a closed set of kinds", () => {
    expectTypeOf(findPII).returns.toEqualTypeOf<PIIFinding[]>();
    expectTypeOf<PIIKind>().toEqualTypeOf<"email" | "phone" | "card">();
  });

  it("resolveProfile is typed by the caller's profile shape", () => {
    const typed = () => resolveProfile<{ email: string; plan: "free" | "pro" }>(client, "t");
    expectTypeOf(typed).returns.resolves.toEqualTypeOf<{ email: string; plan: "free" | "pro" } | null>();
    expectTypeOf(() => resolveProfile(client, "t")).returns.resolves.toEqualTypeOf<Profile | null>();
  });

  it("tokenize takes only the contract's token types", () => {
    expectTypeOf(() =>
      tokenize(client, "4242424242424242", "creditcard"),
    ).returns.resolves.toEqualTypeOf<CreatedToken>();
    // @ts-expect-error "iban" is not a TokenType of the contract
    expectTypeOf(() => tokenize(client, "DE89370400440532013000", "iban")).toBeFunction();
    expectTypeOf(() => detokenize(client, "t")).returns.resolves.toEqualTypeOf<string | null>();
  });

  it("tokenizeProfile resolves to the token and accepts only known conflict policies", () => {
    expectTypeOf(() => tokenizeProfile(client, { email: "a@b.co" })).returns.resolves.toBeString();
    // @ts-expect-error "merge" is not a conflict policy
    expectTypeOf(() => tokenizeProfile(client, { email: "a@b.co" }, { onConflict: "merge" })).toBeFunction();
  });

  it("helpers accept any object with the calls they need, e.g. a test double", () => {
    const reader = { getUser: async () => null };
    expectTypeOf(() => resolveProfile(reader, "t")).returns.resolves.toEqualTypeOf<Profile | null>();
    expectTypeOf<Parameters<ReturnType<typeof createTokenizer>["forgetUser"]>[0]>().toEqualTypeOf<{
      mode: "token" | "login" | "email" | "phone" | "custom";
      identity: string;
    }>();
  });
});

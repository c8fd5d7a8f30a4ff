import type { VaultClient } from "@sessionvault/client";
import type { Request } from "express";
import { describe, expectTypeOf, it } from "vitest";
import type { RequestWithSession, VaultStore, VaultStoreOptions } from "../src/index.js";

declare const client: VaultClient;

describe("VaultStoreOptions", () => {
  it("takes a client or connection settings, not both", () => {
    expectTypeOf({ client }).toExtend<VaultStoreOptions>();
    expectTypeOf({
      baseUrl: "http://127.0.0.1:3000",
      token: "DEMO",
      retry: false as const,
    }).toExtend<VaultStoreOptions>();
    // @ts-expect-error a client already carries its connection
    const both: VaultStoreOptions = { client, baseUrl: "http://127.0.0.1:3000", token: "DEMO" };
    // @ts-expect-error a token alone is not a connection
    const tokenOnly: VaultStoreOptions = { token: "DEMO" };
    expectTypeOf(both).not.toBeAny();
    expectTypeOf(tokenOnly).not.toBeAny();
  });

  it("takes ttl as seconds or a function of the session", () => {
    expectTypeOf({ client, ttl: 60 }).toExtend<VaultStoreOptions>();
    expectTypeOf({ client, ttl: () => 60 }).toExtend<VaultStoreOptions>();
    // @ts-expect-error ttl is seconds, not a duration string
    const wrong: VaultStoreOptions = { client, ttl: "1h" };
    expectTypeOf(wrong).not.toBeAny();
  });
});

describe("helpers", () => {
  it("accept express's own request", () => {
    expectTypeOf<Request>().toExtend<RequestWithSession>();
    expectTypeOf<VaultStore["linkUser"]>().parameter(1).toEqualTypeOf<string | null>();
    expectTypeOf<VaultStore["revokeSessions"]>().returns.resolves.toEqualTypeOf<{ deleted: number }>();
  });
});

import type { VaultClient } from "@sessionvault/client";
import type session from "koa-session";
import { expectTypeOf, it } from "vitest";
import type { VaultStore, VaultStoreOptions } from "../src/index.js";

type KoaSessionOptions = NonNullable<Parameters<typeof session>[0]>;

it("is accepted as koa-session's store", () => {
  expectTypeOf<VaultStore>().toExtend<NonNullable<KoaSessionOptions["store"]>>();
});

it("takes either a client or connection settings, not both", () => {
  expectTypeOf<{ client: VaultClient }>().toExtend<VaultStoreOptions>();
  expectTypeOf<{ baseUrl: string; token: string; ttl: number }>().toExtend<VaultStoreOptions>();
  // @ts-expect-error a client and a baseUrl at once are ambiguous
  const both: VaultStoreOptions = { client: {} as VaultClient, baseUrl: "http://127.0.0.1:3000", token: "t" };
  expectTypeOf(both).not.toBeAny();
});

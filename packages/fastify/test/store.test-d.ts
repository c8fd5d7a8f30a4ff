import type { SessionStore } from "@fastify/session";
import type { VaultClient } from "@sessionvault/client";
import { expectTypeOf, it } from "vitest";
import type { VaultStore, VaultStoreOptions } from "../src/index.js";

it("is a @fastify/session store", () => {
  expectTypeOf<VaultStore>().toExtend<SessionStore>();
});

it("takes either a client or connection settings, not both", () => {
  expectTypeOf<{ client: VaultClient }>().toExtend<VaultStoreOptions>();
  expectTypeOf<{ baseUrl: string; token: string; touchAfter: number }>().toExtend<VaultStoreOptions>();
  // @ts-expect-error a client and a baseUrl at once are ambiguous
  const both: VaultStoreOptions = { client: {} as VaultClient, baseUrl: "http://127.0.0.1:3000", token: "t" };
  expectTypeOf(both).not.toBeAny();
});

import { randomBytes, randomUUID } from "node:crypto";
import { createVaultClient, type VaultClient } from "@sessionvault/client";
import { startVault } from "@sessionvault/testkit";
import { afterAll, beforeAll } from "vitest";

/** One real vault process per test file, reached over real HTTP. */
export function useVault(): { client: () => VaultClient } {
  let stop: (() => Promise<void>) | undefined;
  let client: VaultClient | undefined;
  beforeAll(async () => {
    const vault = await startVault();
    stop = () => vault.destroy();
    client = createVaultClient({
      baseUrl: vault.url,
      token: vault.token,
      ...(vault.tenant ? { tenant: vault.tenant } : {}),
    });
  });
  afterAll(async () => {
    await stop?.();
  });
  return {
    client: () => {
      if (client === undefined) throw new Error("vault not started");
      return client;
    },
  };
}

/** A fresh, unique email so tests never collide on the vault's identity index. */
export const uniqueEmail = () => `user-${randomUUID()}@example.com`;

/** A session id like the adapters mint: 256 bits from a CSPRNG. */
export const sessionId = () => randomBytes(32).toString("base64url");

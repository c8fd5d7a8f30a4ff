import { randomBytes, randomUUID } from "node:crypto";
import { createVaultClient, type VaultClient } from "@sessionvault/client";
import { startVault } from "@sessionvault/testkit";
import { afterAll, beforeAll } from "vitest";

/** One real vault process per test file, reached over real HTTP. */
export function useVault(): { client: () => VaultClient; connection: () => { url: string; token: string } } {
  let stop: (() => Promise<void>) | undefined;
  let client: VaultClient | undefined;
  let connection: { url: string; token: string } | undefined;
  beforeAll(async () => {
    const vault = await startVault();
    stop = () => vault.destroy();
    connection = { url: vault.url, token: vault.token };
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
    connection: () => {
      if (connection === undefined) throw new Error("vault not started");
      return connection;
    },
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

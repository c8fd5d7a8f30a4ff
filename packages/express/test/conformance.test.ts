import { createVaultClient } from "@sessionvault/client";
import { runStoreConformance, startVault } from "@sessionvault/testkit";
import { expressStoreUnderTest } from "./harness.js";

runStoreConformance("@sessionvault/express", async () => {
  const vault = await startVault();
  const client = createVaultClient({ baseUrl: vault.url, token: vault.token, retry: { retries: 1, minDelayMs: 20 } });
  return {
    vault,
    client,
    frameworkKeys: ["cookie"],
    createStore: (options) => expressStoreUnderTest(vault, options),
    close: () => vault.destroy(),
  };
});

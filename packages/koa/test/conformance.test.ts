import { createVaultClient } from "@sessionvault/client";
import { runStoreConformance, startVault } from "@sessionvault/testkit";
import { koaStoreUnderTest } from "./harness.js";

runStoreConformance("@sessionvault/koa", async () => {
  const vault = await startVault();
  const client = createVaultClient({ baseUrl: vault.url, token: vault.token, retry: { retries: 1, minDelayMs: 20 } });
  return {
    vault,
    client,
    frameworkKeys: ["_expire", "_maxAge", "_session"],
    createStore: (options) => koaStoreUnderTest(client, options),
    close: () => vault.destroy(),
  };
});

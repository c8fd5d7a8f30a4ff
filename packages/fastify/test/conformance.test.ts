import { createVaultClient } from "@sessionvault/client";
import { runStoreConformance, startVault } from "@sessionvault/testkit";
import { SESSION_STATE_KEY } from "../src/index.js";
import { fastifyStoreUnderTest } from "./harness.js";

runStoreConformance("@sessionvault/fastify", async () => {
  const vault = await startVault();
  const client = createVaultClient({ baseUrl: vault.url, token: vault.token, retry: { retries: 1, minDelayMs: 20 } });
  return {
    vault,
    client,
    // The state key never reaches the vault; it is listed because `get` returns it.
    frameworkKeys: ["cookie", SESSION_STATE_KEY],
    createStore: (options) => fastifyStoreUnderTest(client, options),
    close: () => vault.destroy(),
  };
});

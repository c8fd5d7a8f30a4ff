import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createVaultClient } from "@sessionvault/client";
import { runReadmeQuickstart, startVault } from "@sessionvault/testkit";
import { expect, it } from "vitest";

it("the README quickstart creates a user and a session and lists it", async () => {
  const vault = await startVault();
  try {
    const packageDir = join(dirname(fileURLToPath(import.meta.url)), "..");
    const app = await runReadmeQuickstart(packageDir, { SESSIONVAULT_URL: vault.url, SESSIONVAULT_TOKEN: vault.token });
    app.stop();
    const client = createVaultClient({ baseUrl: vault.url, token: vault.token });
    const user = await client.getUser("email", "ada@example.com");
    expect(user?.profile).toMatchObject({ email: "ada@example.com", name: "Ada" });
    expect((await client.listUserSessions("token", user!.token)).rows).toHaveLength(1);
  } finally {
    await vault.destroy();
  }
});

import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { runReadmeQuickstart, startVault } from "@sessionvault/testkit";
import { expect, it } from "vitest";

it("the README quickstart serves better-auth with its sessions in the vault", async () => {
  const vault = await startVault();
  const packageDir = join(dirname(fileURLToPath(import.meta.url)), "..");
  const app = await runReadmeQuickstart(
    packageDir,
    {
      SESSIONVAULT_URL: vault.url,
      SESSIONVAULT_TOKEN: vault.token,
      BETTER_AUTH_SECRET: "a-readme-secret-0123456789abcdef",
    },
    30_000,
  );
  try {
    const response = await fetch(`${app.url}/api/auth/sign-up/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: app.url },
      body: JSON.stringify({ email: "ada@example.com", password: "correct horse battery", name: "Ada" }),
    });
    expect(response.status).toBe(200);
    const cookie = response.headers.getSetCookie()[0]?.split(";")[0] ?? "";
    const sessions = await fetch(`${app.url}/api/auth/list-sessions`, { headers: { cookie } });
    expect(((await sessions.json()) as unknown[]).length).toBe(1);
  } finally {
    app.stop();
    await vault.destroy();
  }
});

import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { startVault } from "@sessionvault/testkit";
import type { TestProject } from "vitest/node";
import { nextBuild, nextStart } from "./next-app.js";

declare module "vitest" {
  export interface ProvidedContext {
    appUrl: string;
    vaultUrl: string;
    vaultToken: string;
  }
}

const fixture = join(dirname(fileURLToPath(import.meta.url)), "../fixture");

// One real vault and one production build of the fixture app per test run.
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const [started, built] = await Promise.allSettled([startVault(), nextBuild(fixture)]);
  if (started.status === "rejected") throw started.reason;
  const vault = started.value;
  // Never leave the vault running when the rest of the setup fails.
  const app = await (async () => {
    if (built.status === "rejected") throw built.reason;
    return nextStart(fixture, { SESSIONVAULT_URL: vault.url, SESSIONVAULT_TOKEN: vault.token });
  })().catch(async (error: unknown) => {
    await vault.stop();
    throw error;
  });
  project.provide("appUrl", app.url);
  project.provide("vaultUrl", vault.url);
  project.provide("vaultToken", vault.token);
  return async () => {
    await app.stop();
    await vault.stop();
  };
}

import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/setup/release.ts"],
    // Installs from a registry and production builds of fresh apps.
    hookTimeout: 600_000,
    testTimeout: 300_000,
    // One app at a time: the machine's cores are shared with the apps, the vault and the registry.
    fileParallelism: false,
  },
});

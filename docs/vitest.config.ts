import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Samples start real vaults, app servers and a production Next.js build.
    testTimeout: 120_000,
    hookTimeout: 600_000,
    // One file at a time: the machine is small and each file runs many child processes.
    fileParallelism: false,
  },
});

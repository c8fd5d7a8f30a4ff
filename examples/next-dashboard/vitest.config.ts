import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Builds the app when needed, starts the vault and Next.js, drives a real Chromium.
    hookTimeout: 240_000,
    testTimeout: 120_000,
    // One file at a time: each starts its own vault and Next.js server.
    fileParallelism: false,
  },
});

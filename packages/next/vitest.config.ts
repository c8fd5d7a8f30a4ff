import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["test/fixture/**", "**/node_modules/**"],
    globalSetup: ["test/setup/global-setup.ts"],
    // One Next.js server and one vault serve every file; building and starting them is slow on small machines.
    hookTimeout: 240_000,
    testTimeout: 30_000,
    fileParallelism: false,
    typecheck: { enabled: true, include: ["test/**/*.test-d.ts"], tsconfig: "./tsconfig.json" },
  },
});

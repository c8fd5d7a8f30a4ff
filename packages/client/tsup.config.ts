import { defineConfig } from "tsup";

export default defineConfig({
  // `node` is the Node-only transport; `index` stays edge-safe.
  entry: { index: "src/index.ts", node: "src/node/index.ts" },
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  // One copy of the client and its error classes, whichever entry is imported.
  splitting: true,
  target: "es2022",
});

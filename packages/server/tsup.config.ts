import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/index.ts", "src/cli.ts"],
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  target: "node22",
  // node:sqlite is a built-in that bundlers do not know yet.
  external: ["node:sqlite"],
  // Keep `node:` prefixes: `sqlite` only exists as `node:sqlite`.
  removeNodeProtocol: false,
});

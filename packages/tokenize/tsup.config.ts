import { defineConfig } from "tsup";

export default defineConfig({
  // `detect` is its own entry so edge runtimes can import the detector without the client.
  entry: { index: "src/index.ts", detect: "src/detect/index.ts" },
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  target: "es2022",
});

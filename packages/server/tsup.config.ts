import { defineConfig } from "tsup";

export default defineConfig({
  entry: {
    index: "src/index.ts",
    cli: "src/cli.ts",
    // The SQLite writer thread is loaded by file, beside the code that starts it.
    "sqlite-writer-thread": "src/storage/sqlite-writer-thread.ts",
  },
  format: ["esm", "cjs"],
  dts: { entry: { index: "src/index.ts" } },
  clean: true,
  target: "node22",
  // `import.meta.url` in the CommonJS build too (it locates the writer thread).
  shims: true,
  // node:sqlite is a built-in that bundlers do not know yet.
  external: ["node:sqlite"],
  // Keep `node:` prefixes: `sqlite` only exists as `node:sqlite`.
  removeNodeProtocol: false,
});

// The vault under test in its own process: the published package's createVault on the
// sqlite driver, configured from SV_VAULT_CONFIG (JSON).
//
// SIGUSR2 asks for a memory report on stdout, after a full GC when node runs with
// --expose-gc, so the benchmark can tell retained growth from garbage not yet collected.
import { createVault } from "@sessionvault/server";

const config = JSON.parse(process.env.SV_VAULT_CONFIG ?? "{}");
const vault = await createVault(config);
const url = await vault.listen(0, "127.0.0.1");
process.stdout.write(`${JSON.stringify({ msg: "listening", url })}\n`);
const stop = () => vault.close().then(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
process.on("SIGUSR2", () => {
  globalThis.gc?.();
  // Let the memory reducer hand freed pages back before reading RSS.
  setTimeout(() => {
    const m = process.memoryUsage();
    process.stdout.write(`${JSON.stringify({ msg: "memory", ...m })}\n`);
  }, 200);
});

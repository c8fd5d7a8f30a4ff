// Loaded into the vault process by the benchmark only (NODE_OPTIONS=--import): on SIGUSR2
// it prints a memory report on stdout, after a full GC when node runs with --expose-gc,
// so the benchmark can tell retained growth from garbage not yet collected.
process.on("SIGUSR2", () => {
  globalThis.gc?.();
  // Let the memory reducer hand freed pages back before reading RSS.
  setTimeout(() => {
    const m = process.memoryUsage();
    process.stdout.write(`${JSON.stringify({ msg: "memory", ...m })}\n`);
  }, 200);
});

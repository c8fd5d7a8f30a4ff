#!/usr/bin/env node
// `npm run demo`: a throwaway vault plus the dashboard, one line with the URL to open,
// and a clean shutdown of both on Ctrl-C or SIGTERM.
import { startDemo } from "./run-demo.mjs";

const verbose = process.argv.includes("--verbose");
const port = Number(process.env.PORT ?? 3000);

process.stdout.write("Starting the sessionvault demo (embedded vault + Next.js dashboard)...\n");
let demo;
try {
  demo = await startDemo({ port, log: verbose ? (text) => process.stderr.write(text) : undefined });
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}

process.stdout.write(
  `vault: a throwaway \`sessionvault dev\` at ${demo.vaultUrl} (demo token, data deleted on exit; never use it in production)\n`,
);
process.stdout.write(`\n  ➜  sessionvault demo is running: open ${demo.url}   (Ctrl-C to stop)\n\n`);

let stopping = false;
async function shutdown(signal) {
  if (stopping) return;
  stopping = true;
  process.stdout.write(`\n${signal}: stopping the dashboard and the vault...\n`);
  try {
    await demo.stop();
    process.stdout.write("Stopped.\n");
    process.exit(0);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
process.on("SIGINT", () => shutdown("SIGINT"));
process.on("SIGTERM", () => shutdown("SIGTERM"));

#!/usr/bin/env node
// The vault stores its embedded database with Node's built-in node:sqlite (22.13+). On an
// older Node, say so in one line with the fix instead of failing somewhere in an import.
const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 22 || (major === 22 && minor < 13)) {
  process.stderr.write(
    `sessionvault needs Node.js 22.13 or newer (this is ${process.version}): install Node 22 or 24 LTS, or run it with: npx -y -p node@24 -p @sessionvault/server sessionvault ${process.argv.slice(2).join(" ")}\n`,
  );
  process.exit(1);
}
// V8 sizes its young generation from the machine's memory, and under a steady stream of
// requests a vault's resident memory then grows by tens of percent without holding more
// data. A 16 MiB semi-space keeps it flat at no measurable cost in throughput, so the CLI
// applies it unless the user chose a size. process.execve replaces this process in
// place: same pid, so signals (SIGTERM drain, kill -9) and the exit code need no relay.
// Where it is unavailable (Windows, Node < 22.15) the vault runs with V8's default.
const FLAG = "--max-semi-space-size";
const chosen = process.execArgv.some((arg) => arg.startsWith(FLAG)) || (process.env.NODE_OPTIONS ?? "").includes(FLAG);
if (!chosen && typeof process.execve === "function") {
  try {
    process.execve(process.execPath, [process.execPath, ...process.execArgv, `${FLAG}=16`, ...process.argv.slice(1)]);
  } catch {
    // Not supported here: run with V8's default young generation instead.
  }
}
await import("../dist/cli.js");

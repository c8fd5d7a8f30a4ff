import { spawn } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { appDir } from "../scripts/run-demo.mjs";

async function freePort(): Promise<number> {
  const server = createServer().listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  server.close();
  await once(server, "close");
  return typeof address === "object" && address ? address.port : 0;
}

describe("npm run demo's script", () => {
  it("prints a few lines of progress, and Ctrl-C stops it without an error message", async () => {
    const port = await freePort();
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port) };
    delete env.VITEST;
    delete env.NODE_OPTIONS;
    const child = spawn(process.execPath, [join(appDir, "scripts/demo.mjs")], {
      cwd: appDir,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    const exited = once(child, "exit") as Promise<[number | null, NodeJS.Signals | null]>;
    try {
      await expect.poll(() => stdout, { timeout: 180_000, interval: 250 }).toContain(`open http://localhost:${port}`);
      const page = await fetch(`http://127.0.0.1:${port}/`);
      expect(page.status).toBe(200);
      child.kill("SIGINT");
      const [code, signal] = await exited;
      expect(signal).toBeNull();
      expect([0, 130]).toContain(code);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    }
    // A few lines of progress, not the build's output.
    expect(stdout.trim().split("\n").length, stdout).toBeLessThanOrEqual(10);
    expect(stderr, stderr).not.toMatch(/ELIFECYCLE|Error|error|\n\s+at /);
    expect(stdout).toContain("Stopped.");
  }, 240_000);
});

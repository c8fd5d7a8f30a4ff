import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";

/** A port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  server.close();
  await once(server, "close");
  if (!address || typeof address === "string") throw new Error("no port");
  return address.port;
}

/** A child process whose combined output is kept for assertions and failure messages. */
export interface Child {
  process: ChildProcess;
  output(): string;
  stdout(): string;
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

export function start(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Child {
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let all = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    out += chunk.toString();
    all += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    all += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return {
    process: child,
    output: () => all,
    stdout: () => out,
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Runs to completion; rejects after `timeoutMs`. */
export async function run(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<{ code: number | null; stdout: string; output: string }> {
  const child = start(command, args, options);
  const timer = setTimeout(() => child.process.kill("SIGKILL"), options.timeoutMs);
  const code = await child.exited;
  clearTimeout(timer);
  return { code, stdout: child.stdout(), output: child.output() };
}

/** Resolves once something accepts HTTP on `url`; rejects if the child exits first. */
export async function waitForHttp(url: string, child: Child, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void child.exited.then(() => {
    exited = true;
  });
  while (Date.now() < deadline) {
    if (exited) throw new Error(`process exited before listening:\n${child.output()}`);
    try {
      await fetch(url, { method: "HEAD", signal: AbortSignal.timeout(2000) });
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`nothing listened on ${url} within ${timeoutMs} ms:\n${child.output()}`);
}

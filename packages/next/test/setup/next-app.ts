import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);
const nextBin = join(dirname(require.resolve("next/package.json")), "dist/bin/next");

export interface NextApp {
  url: string;
  stop(): Promise<void>;
}

function nextEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...extra };
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  server.close();
  if (!address || typeof address === "string") throw new Error("no port");
  return address.port;
}

function collect(child: ChildProcess): () => string {
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  return () => output;
}

/** `next build` in `dir`; throws with the build output when it fails. */
export async function nextBuild(dir: string): Promise<void> {
  const child = spawn(process.execPath, [nextBin, "build"], {
    cwd: dir,
    env: nextEnv({ NODE_ENV: "production" }),
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output = collect(child);
  const [code] = (await once(child, "exit")) as [number | null];
  if (code !== 0) throw new Error(`next build failed in ${dir}:\n${output()}`);
}

/** `next start` on a free port of 127.0.0.1, resolved once it answers HTTP. */
export async function nextStart(dir: string, env: Record<string, string>): Promise<NextApp> {
  const port = await freePort();
  const child = spawn(process.execPath, [nextBin, "start", "--port", String(port), "--hostname", "127.0.0.1"], {
    cwd: dir,
    // Vitest runs with NODE_ENV=test; the server under test runs as in production.
    env: nextEnv({ NODE_ENV: "production", ...env }),
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output = collect(child);
  const url = `http://127.0.0.1:${port}`;
  const exited = once(child, "exit").then(() => {
    throw new Error(`next start exited early:\n${output()}`);
  });
  const ready = (async () => {
    for (let attempt = 0; attempt < 600; attempt++) {
      try {
        await fetch(`${url}/_next/static/not-there`, { signal: AbortSignal.timeout(2000) });
        return;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    throw new Error(`next start did not answer on ${url}:\n${output()}`);
  })();
  await Promise.race([ready, exited]);
  exited.catch(() => {});
  return {
    url,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const gone = once(child, "exit");
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await gone;
      clearTimeout(timer);
    },
  };
}

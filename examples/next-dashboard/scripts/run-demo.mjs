// Starts the demo: a throwaway vault (`sessionvault dev`) and this app under `next start`,
// building the app first when its build is missing or older than its sources. Used by
// `npm run demo` (scripts/demo.mjs) and by the browser test, so the test runs the demo.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const appDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(join(appDir, "package.json"));
const nextBin = join(dirname(require.resolve("next/package.json")), "dist/bin/next");
const vaultBin = join(dirname(require.resolve("@sessionvault/server/package.json")), "bin/sessionvault.js");
const SOURCES = ["app", "lib", "proxy.ts", "next.config.mjs", "package.json", "tsconfig.json"];
const PACKAGES = ["@sessionvault/next", "@sessionvault/client", "@sessionvault/tokenize"];

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((entry) => newestMtime(join(path, entry))));
}

function childEnv(extra = {}) {
  return { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...extra };
}

/** Throws a clear error when a workspace package the app imports has not been built. */
export function assertPackagesBuilt() {
  for (const name of PACKAGES) {
    const dist = join(dirname(require.resolve(`${name}/package.json`)), "dist");
    if (!existsSync(dist)) {
      throw new Error(`${name} is not built; run \`npm run demo\` from the repository root, which builds it first`);
    }
  }
}

/** True when `.next` is missing or older than the app's sources or the packages it bundles. */
export function needsBuild() {
  const buildId = join(appDir, ".next", "BUILD_ID");
  if (!existsSync(buildId)) return true;
  const built = statSync(buildId).mtimeMs;
  const sources = SOURCES.map((entry) => newestMtime(join(appDir, entry)));
  const packages = PACKAGES.map((name) => newestMtime(join(dirname(require.resolve(`${name}/package.json`)), "dist")));
  return Math.max(...sources, ...packages) > built;
}

function run(args, { log }) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: appDir,
      env: childEnv({ NODE_ENV: "production" }),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    const collect = (chunk) => {
      output += chunk;
      log?.(chunk.toString());
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`next build failed:\n${output}`))));
  });
}

/** `next build`, only when needed. */
export async function ensureBuilt({ log } = {}) {
  assertPackagesBuilt();
  if (!needsBuild()) return false;
  await run([nextBin, "build"], { log });
  return true;
}

async function portIsFree(port) {
  const server = createServer();
  server.listen(port, "127.0.0.1");
  try {
    await once(server, "listening");
    return true;
  } catch {
    return false;
  } finally {
    server.close();
  }
}

async function freePort() {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address();
  server.close();
  await once(server, "close");
  return port;
}

function stopper(child, name) {
  return async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, "exit");
    child.kill("SIGTERM");
    const timer = setTimeout(() => {
      process.stderr.write(`${name} did not stop in time; killing it\n`);
      child.kill("SIGKILL");
    }, 8000);
    await exited;
    clearTimeout(timer);
  };
}

/** `sessionvault dev` on a free loopback port, with its data in a folder removed on stop. */
export async function startDevVault({ log } = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), "sessionvault-demo-"));
  // Its own process group: a terminal's Ctrl-C reaches only the demo, which stops children in order.
  const child = spawn(
    process.execPath,
    [vaultBin, "dev", "--port", "0", "--data-dir", dataDir, "--log-format", "json"],
    {
      env: childEnv(),
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    },
  );
  let output = "";
  child.stderr.on("data", (chunk) => {
    output += chunk;
    log?.(chunk.toString());
  });
  const url = await new Promise((resolve, reject) => {
    let buffered = "";
    child.stdout.on("data", (chunk) => {
      buffered += chunk;
      let newline = buffered.indexOf("\n");
      while (newline !== -1) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        try {
          const entry = JSON.parse(line);
          if (entry.msg === "listening" && typeof entry.url === "string") resolve(entry.url);
        } catch {
          // Not a log line.
        }
        newline = buffered.indexOf("\n");
      }
    });
    child.on("error", reject);
    child.on("exit", (code) => reject(new Error(`sessionvault dev exited with ${code}:\n${output}`)));
  });
  const stop = stopper(child, "sessionvault dev");
  return {
    url,
    token: "DEMO",
    pid: child.pid,
    async stop() {
      await stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** `next start` for this app on `port` (or a free one when it is taken), answering HTTP before it resolves. */
export async function startApp({ port, env, log } = {}) {
  const chosen = port !== undefined && (await portIsFree(port)) ? port : await freePort();
  const child = spawn(process.execPath, [nextBin, "start", "--port", String(chosen), "--hostname", "127.0.0.1"], {
    cwd: appDir,
    env: childEnv({ NODE_ENV: "production", ...env }),
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  const collect = (chunk) => {
    output += chunk;
    log?.(chunk.toString());
  };
  child.stdout.on("data", collect);
  child.stderr.on("data", collect);
  const url = `http://localhost:${chosen}`;
  const exited = once(child, "exit").then(([code]) => {
    throw new Error(`next start exited with ${code}:\n${output}`);
  });
  exited.catch(() => {});
  const ready = (async () => {
    for (let attempt = 0; attempt < 600; attempt++) {
      if (child.exitCode !== null) return;
      try {
        await fetch(`http://127.0.0.1:${chosen}/favicon.ico`, { signal: AbortSignal.timeout(2000) });
        return;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    throw new Error(`next start did not answer on port ${chosen}:\n${output}`);
  })();
  await Promise.race([ready, exited]);
  return { url, port: chosen, pid: child.pid, stop: stopper(child, "next start") };
}

/** The whole demo: vault, build when needed, app. `stop()` shuts both down, app first. */
export async function startDemo({ port, log } = {}) {
  await ensureBuilt({ log });
  const vault = await startDevVault({ log });
  try {
    const app = await startApp({ port, log, env: { SESSIONVAULT_URL: vault.url, SESSIONVAULT_TOKEN: vault.token } });
    return {
      url: app.url,
      vaultUrl: vault.url,
      async stop() {
        await app.stop();
        await vault.stop();
      },
    };
  } catch (error) {
    await vault.stop();
    throw error;
  }
}

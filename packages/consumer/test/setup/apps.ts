// Fresh apps outside the workspace, made the way a user makes one from a package README:
// `npm init -y`, the README's `npm install` line against the release registry, its
// quickstart files copied verbatim, and the vault started with the README's own command.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { freePort } from "@sessionvault/testkit";
import { repoRoot, sh } from "./release.js";

export interface Readme {
  /** The packages of the README's first `npm install` line. */
  install: string[];
  /** The README's command that starts a development vault, without its comment. */
  vaultCommand: string[];
  /** Quickstart files: path -> source (a single ```js block becomes `server.mjs`). */
  files: Map<string, string>;
}

/** Reads a package README's install line, dev vault command and quickstart. */
export function readReadme(packageDir: string): Readme {
  const text = readFileSync(join(repoRoot, packageDir, "README.md"), "utf8");
  const installLine = /^npm install (.+)$/m.exec(text)?.[1];
  if (!installLine) throw new Error(`${packageDir}/README.md has no npm install line`);
  const vaultLine = /^(npx [^#\n]*sessionvault dev[^#\n]*)/m.exec(text)?.[1];
  if (!vaultLine) throw new Error(`${packageDir}/README.md has no command that starts a dev vault`);
  const section = text.split("<!-- quickstart:start -->")[1]?.split("<!-- quickstart:end -->")[0];
  if (!section) throw new Error(`${packageDir}/README.md has no quickstart block`);
  const files = new Map<string, string>();
  for (const m of section.matchAll(/```(\w+)(?: file=(\S+))?\n([\s\S]*?)```/g)) {
    files.set(m[2] ?? "server.mjs", m[3] as string);
  }
  return {
    install: installLine.trim().split(/\s+/),
    vaultCommand: vaultLine.trim().split(/\s+/),
    files,
  };
}

export interface Running {
  url: string;
  output(): string;
  stop(): Promise<void>;
}

/** Starts a process and resolves once `ready(output)` holds. */
export async function startProcess(
  cmd: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; url: string; ready: (output: string) => boolean; timeoutMs?: number },
): Promise<Running> {
  const child: ChildProcess = spawn(cmd, args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  const onData = (chunk: Buffer) => {
    output += chunk;
  };
  child.stdout?.on("data", onData);
  child.stderr?.on("data", onData);
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    try {
      process.kill(-(child.pid as number), "SIGTERM");
    } catch {
      child.kill("SIGTERM");
    }
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
    if (child.exitCode === null && child.signalCode === null) process.kill(-(child.pid as number), "SIGKILL");
  };
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  while (!options.ready(output)) {
    if (child.exitCode !== null) throw new Error(`${cmd} ${args.join(" ")} exited with ${child.exitCode}:\n${output}`);
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${cmd} ${args.join(" ")} did not get ready:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { url: options.url, output: () => output, stop };
}

export interface FreshApp {
  dir: string;
  env: NodeJS.ProcessEnv;
}

/** `npm init -y` and the README's install line in a new folder under `workDir/apps`. */
export function createApp(
  workDir: string,
  name: string,
  readme: Readme,
  registryUrl: string,
  extra: string[] = [],
): FreshApp {
  const dir = join(workDir, "apps", name);
  mkdirSync(dir, { recursive: true });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    npm_config_registry: registryUrl,
    npm_config_audit: "false",
    npm_config_fund: "false",
    npm_config_update_notifier: "false",
    NEXT_TELEMETRY_DISABLED: "1",
  };
  // Nothing of the workspace leaks in: no NODE_PATH, no pnpm variables.
  for (const key of Object.keys(env)) if (key.startsWith("npm_package_") || key === "NODE_PATH") delete env[key];
  sh("npm", ["init", "-y"], { cwd: dir, env });
  sh("npm", ["install", "--no-audit", "--no-fund", ...readme.install, ...extra], { cwd: dir, env });
  for (const [path, source] of readme.files) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), source);
  }
  return { dir, env };
}

/** Starts the README's dev vault command in the app's folder, on a free port. */
export async function startDevVault(app: FreshApp, readme: Readme): Promise<Running & { token: string }> {
  const port = await freePort();
  const [cmd, ...args] = readme.vaultCommand;
  const url = `http://127.0.0.1:${port}`;
  const running = await startProcess(cmd as string, [...args, "--port", String(port)], {
    cwd: app.dir,
    env: app.env,
    url,
    ready: (output) => output.includes(url),
  });
  const token = /SESSIONVAULT_TOKEN=(\S+)/.exec(running.output())?.[1] ?? "DEMO";
  return { ...running, token };
}

/** `du -sk` of a folder, in bytes. */
export function folderBytes(dir: string): number {
  return Number(sh("du", ["-sk", dir], { cwd: dir }).split(/\s+/)[0]) * 1024;
}

/** How many packages an app's install holds (every folder with a package.json under node_modules). */
export function installedPackages(dir: string): number {
  const out = sh("npm", ["ls", "--all", "--parseable", "--omit=dev"], { cwd: dir });
  return out.split("\n").filter((line) => line.includes("node_modules")).length;
}

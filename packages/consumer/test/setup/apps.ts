// Fresh apps outside the workspace, made the way a user makes one from a package README:
// `npm init -y`, the README's `npm install` lines (our scope from the release registry,
// the frameworks from the public one), its quickstart files copied verbatim, and the vault
// started with the README's own command.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { freePort } from "@sessionvault/testkit";
import { repoRoot, scopedRegistryNpmrc, sh, userEnv } from "./release.js";

export interface Readme {
  /** The README's `npm` commands before its quickstart (`npm install ...`, `npm pkg ...`), as argument lists. */
  install: string[][];
  /** The README's command that starts a development vault, without its comment. */
  vaultCommand: string[];
  /** Quickstart files: path -> source (a single ```js block becomes `server.mjs`). */
  files: Map<string, string>;
}

/** Reads a package README's install line, dev vault command and quickstart. */
export function readReadme(packageDir: string): Readme {
  const text = readFileSync(join(repoRoot, packageDir, "README.md"), "utf8");
  const head = text.split(/^## Quickstart/m)[0] ?? "";
  const install = [...head.matchAll(/^npm ((?:install|pkg) .+)$/gm)].map((m) => (m[1] as string).trim().split(/\s+/));
  if (!install.some(([verb]) => verb === "install")) {
    throw new Error(`${packageDir}/README.md has no npm install line before its quickstart`);
  }
  const vaultLine = /^(npx [^#\n]*sessionvault dev[^#\n]*)/m.exec(text)?.[1];
  if (!vaultLine) throw new Error(`${packageDir}/README.md has no command that starts a dev vault`);
  const section = text.split("<!-- quickstart:start -->")[1]?.split("<!-- quickstart:end -->")[0];
  if (!section) throw new Error(`${packageDir}/README.md has no quickstart block`);
  const files = new Map<string, string>();
  for (const m of section.matchAll(/```(\w+)(?: file=(\S+))?\n([\s\S]*?)```/g)) {
    files.set(m[2] ?? "server.mjs", m[3] as string);
  }
  return {
    install,
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
  workDir: string;
}

/** `npm init -y` and the README's install lines in a new folder under `workDir/apps`. */
export function createApp(workDir: string, name: string, readme: Readme, registryUrl: string): FreshApp {
  const dir = join(workDir, "apps", name);
  mkdirSync(dir, { recursive: true });
  const env = userEnv();
  // As a user of a private registry sets it up: our scope from it, the rest from the public registry.
  writeFileSync(join(dir, ".npmrc"), scopedRegistryNpmrc(registryUrl));
  sh("npm", ["init", "-y"], { cwd: dir, env });
  for (const args of readme.install) sh("npm", args, { cwd: dir, env });
  for (const [path, source] of readme.files) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), source);
  }
  return { dir, env, workDir };
}

export interface DevVault extends Running {
  token: string;
  /** The `SESSIONVAULT_URL=` and `SESSIONVAULT_TOKEN=` lines of its banner. */
  envLines: string[];
}

/** Starts the README's dev vault command in the app's folder, on a free port. */
export async function startDevVault(app: FreshApp, readme: Readme): Promise<DevVault> {
  const port = await freePort();
  const [cmd, ...args] = readme.vaultCommand;
  const url = `http://127.0.0.1:${port}`;
  const running = await startProcess(cmd as string, [...args, "--port", String(port)], {
    cwd: app.dir,
    // npx keeps what it fetched in the npm cache by package name: a cache of this run only,
    // so `npx -p @sessionvault/server` runs this release's server, never one from an earlier run.
    // `npm_config_yes` answers npx's "Ok to proceed?" as a person at a terminal does.
    env: { ...app.env, npm_config_cache: join(app.workDir, "npx-cache"), npm_config_yes: "true" },
    url,
    // The banner names the URL and the token as lines to paste into the app's environment.
    ready: (output) => output.includes(`SESSIONVAULT_URL=${url}`) && /SESSIONVAULT_TOKEN=\S+\n/.test(output),
  });
  const envLines = running.output().match(/^\s*SESSIONVAULT_(URL|TOKEN)=\S+$/gm) ?? [];
  const token = /SESSIONVAULT_TOKEN=(\S+)/.exec(running.output())?.[1] as string;
  return { ...running, token, envLines: envLines.map((line) => line.trim()) };
}

// Global setup: a release exactly as a maintainer makes one, into a registry of our own.
// A copy of the repository (outside the workspace, with its own git history) runs
// `changeset version` and `changeset publish` against a Verdaccio registry on loopback that
// holds our packages and nothing else. The tests then install as a user of a private
// registry does: `@sessionvault/*` from that registry (a scoped registry line in the app's
// `.npmrc`), everything else straight from the registry this machine's npm uses. Verdaccio
// never proxies: it makes no outside connection, so it needs none of npm's network settings
// (CA bundle, proxy), which a test runner's filtered environment may not carry.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "@sessionvault/testkit";
import type { TestProject } from "vitest/node";
import { stringify } from "yaml";

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "../../../..");

declare module "vitest" {
  export interface ProvidedContext {
    registryUrl: string;
    workDir: string;
    /** Public package name -> the version the release published. */
    released: Record<string, string>;
    /** Package names found private in the workspace. */
    privateNames: string[];
  }
}

/** Runs a command to completion; throws with its output when it fails. */
export function sh(cmd: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): string {
  const r = spawnSync(cmd, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) {
    throw new Error(
      `${cmd} ${args.join(" ")} failed (${r.status ?? r.signal}) in ${options.cwd}:\n${r.stdout}\n${r.stderr}`,
    );
  }
  return r.stdout;
}

/**
 * The environment a user's shell would give npm: this process's, less everything a package
 * manager running this test put there (`npm_config_*` from pnpm would override the app's own
 * `.npmrc`, `npm_package_*` and `npm_lifecycle_*` describe the workspace) and the test
 * runner's own hooks.
 */
export function userEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(npm_|pnpm_|PNPM_|VITEST|TURBO_)/i.test(key)) continue;
    if (["NODE_OPTIONS", "NODE_PATH", "INIT_CWD", "TEST", "NODE_ENV"].includes(key)) continue;
    env[key] = value;
  }
  return {
    ...env,
    npm_config_audit: "false",
    npm_config_fund: "false",
    npm_config_update_notifier: "false",
    NEXT_TELEMETRY_DISABLED: "1",
    ...extra,
  };
}

/** The project `.npmrc` of an app that takes our scope from the release registry. */
export function scopedRegistryNpmrc(registryUrl: string): string {
  return `@sessionvault:registry=${registryUrl}\n`;
}

/** The pnpm that runs this test (pnpm sets npm_execpath for its scripts), else the pinned one via npx. */
function pnpmCommand(): [string, string[]] {
  const execPath = process.env.npm_execpath;
  if (execPath && /pnpm/.test(execPath)) return [process.execPath, [execPath]];
  const manifest = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8"));
  return ["npx", ["--yes", manifest.packageManager.split("+")[0]]];
}

/** Tracked and untracked-but-not-ignored files: the repository as a fresh clone would have it, plus work in progress. */
function copyRepository(target: string): void {
  const files = sh("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: repoRoot })
    .split("\0")
    .filter(Boolean);
  for (const file of files) {
    const from = join(repoRoot, file);
    const to = join(target, file);
    mkdirSync(dirname(to), { recursive: true });
    try {
      copyFileSync(from, to);
    } catch (error) {
      // A file deleted in the working tree but still tracked: a fresh clone of the change would not have it either.
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
  }
}

function workspacePackages(root: string): { name: string; version: string; private: boolean }[] {
  const dir = join(root, "packages");
  return readdirSync(dir)
    .map((entry) => {
      try {
        return JSON.parse(readFileSync(join(dir, entry, "package.json"), "utf8"));
      } catch {
        return null;
      }
    })
    .filter(Boolean)
    .map((m) => ({ name: m.name, version: m.version, private: Boolean(m.private) }));
}

async function waitForRegistry(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the registry exited:\n${output()}`);
    try {
      const response = await fetch(`${url}-/ping`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the registry did not start:\n${output()}`);
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const workDir = mkdtempSync(join(tmpdir(), "sessionvault-consumer-"));
  const port = await freePort();
  const registryUrl = `http://127.0.0.1:${port}/`;
  const config = {
    storage: join(workDir, "registry", "storage"),
    auth: { htpasswd: { file: join(workDir, "registry", "htpasswd"), max_users: 10 } },
    // No uplinks: ours only, never anything from outside.
    packages: {
      "@sessionvault/*": { access: "$all", publish: "$authenticated" },
    },
    server: { keepAliveTimeout: 60 },
    max_body_size: "200mb",
    log: { type: "stdout", format: "pretty", level: "warn" },
    publish: { allow_offline: true },
  };
  mkdirSync(join(workDir, "registry"), { recursive: true });
  writeFileSync(join(workDir, "registry", "config.yaml"), stringify(config));
  const verdaccio = join(repoRoot, "packages/consumer/node_modules/verdaccio/bin/verdaccio");
  const registry = spawn(
    process.execPath,
    [verdaccio, "--config", join(workDir, "registry", "config.yaml"), "--listen", `127.0.0.1:${port}`],
    { cwd: workDir, stdio: ["ignore", "pipe", "pipe"], env: userEnv() },
  );
  let registryLog = "";
  registry.stdout?.on("data", (c: Buffer) => {
    registryLog += c;
  });
  registry.stderr?.on("data", (c: Buffer) => {
    registryLog += c;
  });
  const stop = async () => {
    registry.kill();
    if (!process.env.SV_KEEP_CONSUMER) rmSync(workDir, { recursive: true, force: true });
  };
  try {
    await waitForRegistry(registryUrl, registry, () => registryLog);

    // A maintainer's account on the registry, as `npm adduser` creates one.
    const account = await fetch(`${registryUrl}-/user/org.couchdb.user:release`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "release", password: "release-password-only-for-this-run" }),
    });
    const { token } = (await account.json()) as { token?: string };
    if (!account.ok || !token) throw new Error(`could not create the registry account: ${account.status}`);

    // The release runs in a copy of the repository with its own history.
    const repo = join(workDir, "repo");
    copyRepository(repo);
    const gitEnv = {
      ...userEnv(),
      GIT_AUTHOR_NAME: "release",
      GIT_AUTHOR_EMAIL: "release@example.org",
      GIT_COMMITTER_NAME: "release",
      GIT_COMMITTER_EMAIL: "release@example.org",
    };
    sh("git", ["init", "-q", "-b", "main"], { cwd: repo });
    sh("git", ["add", "-A"], { cwd: repo });
    sh("git", ["commit", "-qm", "release candidate"], { cwd: repo, env: gitEnv });
    const hostKey = registryUrl.replace(/^https?:/, "");
    // The maintainer's project config: our scope goes to the release registry, with its login.
    writeFileSync(join(repo, ".npmrc"), `${scopedRegistryNpmrc(registryUrl)}${hostKey}:_authToken=${token}\n`);

    const releaseEnv: NodeJS.ProcessEnv = {
      ...gitEnv,
      // changesets asks this registry which versions are already published.
      "npm_config_@sessionvault:registry": registryUrl,
      CI: "true",
    };
    const [pnpm, pnpmArgs] = pnpmCommand();
    // `changeset publish` runs `pnpm publish`: a shim puts this same pnpm on PATH.
    const shims = join(workDir, "bin");
    mkdirSync(shims, { recursive: true });
    const quoted = [pnpm, ...pnpmArgs].map((part) => `'${part}'`).join(" ");
    writeFileSync(join(shims, "pnpm"), `#!/bin/sh\nexec ${quoted} "$@"\n`, { mode: 0o755 });
    releaseEnv.PATH = `${shims}:${process.env.PATH}`;
    sh(pnpm, [...pnpmArgs, "install", "--frozen-lockfile", "--prefer-offline", "--reporter=silent"], {
      cwd: repo,
      env: releaseEnv,
    });
    const bin = (name: string) => join(repo, "node_modules", ".bin", name);
    sh(bin("changeset"), ["version"], { cwd: repo, env: releaseEnv });
    sh("git", ["commit", "-qam", "version packages"], { cwd: repo, env: gitEnv });
    // Built once, in dependency order; each package's prepack then finds its build fresh
    // (changesets publishes packages in parallel, so builds inside prepack would race).
    sh(bin("turbo"), ["run", "build", "--filter=./packages/*", "--output-logs=errors-only"], {
      cwd: repo,
      env: releaseEnv,
    });
    sh(bin("changeset"), ["publish"], { cwd: repo, env: releaseEnv });

    const packages = workspacePackages(repo);
    project.provide("registryUrl", registryUrl);
    project.provide("workDir", workDir);
    project.provide("released", Object.fromEntries(packages.filter((p) => !p.private).map((p) => [p.name, p.version])));
    project.provide(
      "privateNames",
      packages.filter((p) => p.private).map((p) => p.name),
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return stop;
}

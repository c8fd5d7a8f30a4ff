import { spawn } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { freePort } from "./services.js";

/** A package README's quickstart, running as its own process. */
export interface RunningQuickstart {
  /** Base URL of the app the quickstart started, e.g. `http://127.0.0.1:PORT`. */
  url: string;
  /** Stops the app and removes the script written for it. */
  stop(): void;
}

/**
 * Runs the ```js block between `<!-- quickstart:start -->` and `<!-- quickstart:end -->` in
 * `packageDir/README.md` exactly as written, with `PORT` and the given env, and resolves
 * once it prints `listening on <its URL>`. The script is written inside the package folder so that
 * the package's own name resolves to its build.
 *
 * @example
 * ```ts
 * const app = await runReadmeQuickstart(packageDir, { SESSIONVAULT_URL: vault.url, SESSIONVAULT_TOKEN: vault.token });
 * try {
 *   await fetch(app.url);
 * } finally {
 *   app.stop();
 * }
 * ```
 */
export async function runReadmeQuickstart(
  packageDir: string,
  env: Record<string, string>,
  timeoutMs = 15_000,
): Promise<RunningQuickstart> {
  const readme = readFileSync(join(packageDir, "README.md"), "utf8");
  const block = /<!-- quickstart:start -->\s*```js\n([\s\S]*?)```\s*<!-- quickstart:end -->/.exec(readme);
  if (!block?.[1]) throw new Error(`${join(packageDir, "README.md")} has no quickstart block`);
  const script = join(packageDir, `.quickstart-${process.pid}.mjs`);
  writeFileSync(script, block[1]);
  const port = await freePort();
  const child = spawn(process.execPath, [script], {
    cwd: packageDir,
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const stop = () => {
    child.kill();
    rmSync(script, { force: true });
  };
  const url = `http://127.0.0.1:${port}`;
  let output = "";
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`quickstart did not start in time: ${output}`)), timeoutMs);
      const onData = (chunk: Buffer) => {
        output += chunk;
        if (output.includes(`listening on ${url}`)) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout.on("data", onData);
      child.stderr.on("data", onData);
      child.on("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`quickstart exited with ${code}: ${output}`));
      });
    });
  } catch (error) {
    stop();
    throw error;
  }
  return { url, stop };
}

import { spawn } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { freePort } from "@sessionvault/test-services";
import { expect } from "vitest";
import { type CookieJarClient, createCookieJarClient } from "./cookie-jar.js";

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

/** How a quickstart app is driven: its counter, its sign-in and sign-out routes, its cookie. */
export interface QuickstartRoutes {
  /** Counts one more visit with this browser and returns the count the app answered. */
  visit(browser: CookieJarClient): Promise<number>;
  /** Path of the `POST` route that signs in. */
  signIn: string;
  /** Path of the `POST` route that signs out. */
  signOut: string;
  /** Name of the session cookie. */
  cookie: string;
}

/** Counter routes of the express, Koa and Fastify quickstarts: `GET /` answers "You have been here N times." */
export const counterPageRoutes = (cookie: string): QuickstartRoutes => ({
  async visit(browser) {
    const response = await browser.get("/");
    expect(response.status, response.text).toBe(200);
    const count = /here (\d+) times/.exec(response.text)?.[1];
    if (!count) throw new Error(`no visit count in ${JSON.stringify(response.text)}`);
    return Number(count);
  },
  signIn: "/sign-in",
  signOut: "/sign-out",
  cookie,
});

/** Routes of the Next.js quickstart: `POST /api/visits` answers `{ visits: N }`; the cookie is `app_session`. */
export const nextQuickstartRoutes: QuickstartRoutes = {
  async visit(browser) {
    const response = await browser.post("/api/visits");
    expect(response.status, response.text).toBe(200);
    return response.json<{ visits: number }>().visits;
  },
  signIn: "/api/sign-in",
  signOut: "/api/sign-out",
  cookie: "app_session",
};

/**
 * What every package quickstart promises, checked through a cookie jar: the counter
 * increments; sign-in gives a new session id, keeps the count and leaves the old id dead;
 * sign-out deletes the session in the vault, so the signed-in cookie replayed starts over.
 *
 * @example
 * ```ts
 * await checkSignInAndOut(app.url, counterPageRoutes("connect.sid"));
 * ```
 */
export async function checkSignInAndOut(appUrl: string, routes: QuickstartRoutes): Promise<void> {
  const browser = createCookieJarClient(appUrl);
  expect(await routes.visit(browser)).toBe(1);
  expect(await routes.visit(browser)).toBe(2);

  const beforeSignIn = await browser.clone();
  const oldId = await browser.cookie(routes.cookie);
  expect(oldId, `the app set the ${routes.cookie} cookie`).toBeTruthy();
  const signIn = await browser.post(routes.signIn);
  expect(signIn.status, signIn.text).toBe(200);
  const newId = await browser.cookie(routes.cookie);
  expect(newId).toBeTruthy();
  expect(newId, "sign-in rotates the session id").not.toBe(oldId);
  expect(await routes.visit(browser), "the count is kept across sign-in").toBe(3);
  expect(await routes.visit(beforeSignIn), "the pre-sign-in id is dead: that cookie starts over").toBe(1);

  const signedIn = await browser.clone();
  const signOut = await browser.post(routes.signOut);
  expect(signOut.status, signOut.text).toBe(200);
  expect(await routes.visit(signedIn), "the signed-out cookie, replayed, starts over").toBe(1);
  expect(await routes.visit(browser), "after sign-out the browser starts a new session").toBe(1);
}

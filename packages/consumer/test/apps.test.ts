// Each framework package as a user meets it: a fresh app outside the workspace, built from
// its README alone, installed from the registries, with the vault started by the packed
// server's own CLI, and driven with a cookie jar.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  checkSignInAndOut,
  counterPageRoutes,
  createCookieJarClient,
  freePort,
  nextQuickstartRoutes,
  type QuickstartRoutes,
} from "@sessionvault/testkit";
import { describe, expect, inject, it } from "vitest";
import {
  createApp,
  type DevVault,
  type FreshApp,
  type Running,
  readReadme,
  startDevVault,
  startProcess,
} from "./setup/apps.js";
import { sh } from "./setup/release.js";

const registryUrl = inject("registryUrl");
const workDir = inject("workDir");

interface Case {
  name: string;
  packageDir: string;
  routes: QuickstartRoutes;
  /** The request a stopped vault must fail with a 5xx. */
  downRequest: (url: string) => Promise<Response>;
  start(app: FreshApp, vault: DevVault): Promise<Running>;
}

/** `node server.mjs` with the vault's lines from its banner in the environment. */
const nodeApp: Case["start"] = async (app, vault) => {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const fromBanner = Object.fromEntries(vault.envLines.map((line) => line.split(/=(.*)/s).slice(0, 2)));
  return startProcess(process.execPath, ["server.mjs"], {
    cwd: app.dir,
    env: { ...app.env, PORT: String(port), ...fromBanner },
    url,
    ready: (output) => output.includes(`listening on ${url}`),
  });
};

const counterCase = (name: string, cookie: string): Case => ({
  name,
  packageDir: `packages/${name}`,
  routes: counterPageRoutes(cookie),
  downRequest: (url) => fetch(url),
  start: nodeApp,
});

const cases: Case[] = [
  counterCase("express", "connect.sid"),
  counterCase("koa", "koa.sess"),
  counterCase("fastify", "sessionId"),
  {
    name: "next",
    packageDir: "packages/next",
    routes: nextQuickstartRoutes,
    downRequest: (url) => fetch(`${url}/api/visits`, { method: "POST" }),
    async start(app, vault) {
      // The README: paste the banner's lines into .env.local, then `next build && next start`.
      writeFileSync(join(app.dir, ".env.local"), `${vault.envLines.join("\n")}\n`);
      const next = join(app.dir, "node_modules", ".bin", "next");
      sh(next, ["build"], { cwd: app.dir, env: { ...app.env, NODE_ENV: "production" } });
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      return startProcess(next, ["start", "--port", String(port), "--hostname", "127.0.0.1"], {
        cwd: app.dir,
        env: { ...app.env, NODE_ENV: "production" },
        url,
        ready: (output) => /Ready in|started server/i.test(output),
      });
    },
  },
];

describe.each(cases)("a fresh $name app from its README", ({ name, packageDir, routes, downRequest, start }) => {
  it("installs from the registries, runs the quickstart as written against the packed CLI's dev vault, and keeps every session promise", async () => {
    const readme = readReadme(packageDir);
    const app = createApp(workDir, name, readme, registryUrl);
    const vault = await startDevVault(app, readme);
    let server: Running | undefined;
    try {
      server = await start(app, vault);
      await checkSignInAndOut(server.url, routes);

      // A stopped vault is an error for the request, never an empty session.
      const browser = createCookieJarClient(server.url);
      expect(await routes.visit(browser)).toBe(1);
      await vault.stop();
      const down = await downRequest(server.url);
      expect(down.status, "a stopped vault answers 5xx").toBeGreaterThanOrEqual(500);
    } finally {
      await server?.stop();
      await vault.stop();
    }
  }, 600_000);
});

// Each framework package as a user meets it: a fresh app outside the workspace, built from
// its README alone, installed from the release registry, driven with a cookie jar.
import { join } from "node:path";
import { type CookieJarClient, createCookieJarClient, freePort } from "@sessionvault/testkit";
import { afterAll, describe, expect, inject, it } from "vitest";
import {
  createApp,
  type FreshApp,
  folderBytes,
  installedPackages,
  type Readme,
  type Running,
  readReadme,
  startDevVault,
  startProcess,
} from "./setup/apps.js";
import { sh } from "./setup/release.js";

const registryUrl = inject("registryUrl");
const workDir = inject("workDir");

/** How a quickstart is driven: where its counter is and how it signs in and out. */
interface Protocol {
  /** Reads the visit count after counting one more visit. */
  visit(client: CookieJarClient): Promise<number>;
  signIn: string;
  signOut: string;
}

const counterPage: Protocol = {
  async visit(client) {
    const response = await client.get("/");
    expect(response.status).toBe(200);
    const count = /(\d+)/.exec(response.text)?.[1];
    if (!count) throw new Error(`no count in ${JSON.stringify(response.text)}`);
    return Number(count);
  },
  signIn: "/sign-in",
  signOut: "/sign-out",
};

const nextRoutes: Protocol = {
  async visit(client) {
    const response = await client.post("/api/visits");
    expect(response.status).toBe(200);
    return response.json<{ visits: number }>().visits;
  },
  signIn: "/api/sign-in",
  signOut: "/api/sign-out",
};

const sizes: string[] = [];
afterAll(() => {
  if (sizes.length) {
    console.log(
      [
        "\nfresh apps (framework + our packages, production dependencies):",
        "app | install size | packages",
        ...sizes,
      ].join("\n"),
    );
  }
});

/** The session cookie: the one cookie the app set. */
function sessionCookieName(response: { headers: Headers }): string {
  const setCookie = response.headers.getSetCookie();
  const name = setCookie[0]?.split("=")[0];
  if (!name) throw new Error("the app set no cookie");
  return name;
}

async function driveProtocol(appUrl: string, vault: Running, protocol: Protocol): Promise<void> {
  const browser = createCookieJarClient(appUrl);
  // The counter increments, kept in the vault.
  expect(await protocol.visit(browser)).toBe(1);
  expect(await protocol.visit(browser)).toBe(2);

  // Sign-in rotates the session id and keeps the data; the old id is dead.
  const before = await browser.clone();
  const first = await browser.post(protocol.signIn);
  expect(first.status).toBeLessThan(400);
  const cookie = sessionCookieName(first);
  const oldId = await before.cookie(cookie);
  const newId = await browser.cookie(cookie);
  expect(newId).toBeTruthy();
  expect(newId).not.toBe(oldId);
  expect(await protocol.visit(browser)).toBe(3);
  expect(await protocol.visit(before), "the pre-sign-in cookie no longer reaches the session").toBe(1);

  // Sign-out kills it server-side: replaying the cookie finds nothing.
  const signedIn = await browser.clone();
  expect((await browser.post(protocol.signOut)).status).toBeLessThan(400);
  expect(await protocol.visit(signedIn), "a signed-out cookie replayed starts over").toBe(1);

  // A stopped vault is an error for the request, never an empty session.
  await vault.stop();
  const down = await browser.get("/");
  expect(down.status).toBeGreaterThanOrEqual(500);
}

interface Case {
  name: string;
  packageDir: string;
  protocol: Protocol;
  start(app: FreshApp, vault: Running & { token: string }): Promise<Running>;
}

const nodeApp: Case["start"] = async (app, vault) => {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  return startProcess(process.execPath, ["server.mjs"], {
    cwd: app.dir,
    env: { ...app.env, PORT: String(port), SESSIONVAULT_URL: vault.url, SESSIONVAULT_TOKEN: vault.token },
    url,
    ready: (output) => output.includes(`listening on ${url}`),
  });
};

const cases: Case[] = [
  { name: "express", packageDir: "packages/express", protocol: counterPage, start: nodeApp },
  { name: "koa", packageDir: "packages/koa", protocol: counterPage, start: nodeApp },
  { name: "fastify", packageDir: "packages/fastify", protocol: counterPage, start: nodeApp },
  {
    name: "next",
    packageDir: "packages/next",
    protocol: nextRoutes,
    async start(app, vault) {
      const next = join(app.dir, "node_modules", ".bin", "next");
      sh(next, ["build"], { cwd: app.dir, env: { ...app.env, NODE_ENV: "production" } });
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      return startProcess(next, ["start", "--port", String(port), "--hostname", "127.0.0.1"], {
        cwd: app.dir,
        env: {
          ...app.env,
          NODE_ENV: "production",
          SESSIONVAULT_URL: vault.url,
          SESSIONVAULT_TOKEN: vault.token,
        },
        url,
        ready: (output) => /Ready in|started server/i.test(output),
      });
    },
  },
];

describe.each(cases)("a fresh $name app from its README", ({ name, packageDir, protocol, start }) => {
  it("installs from the registry, runs the quickstart as written, and keeps every session promise", async () => {
    const readme: Readme = readReadme(packageDir);
    const app = createApp(workDir, name, readme, registryUrl);
    sizes.push(
      `${name} | ${(folderBytes(join(app.dir, "node_modules")) / 1e6).toFixed(1)} MB | ${installedPackages(app.dir)}`,
    );
    const vault = await startDevVault(app, readme);
    let server: Running | undefined;
    try {
      server = await start(app, vault);
      await driveProtocol(server.url, vault, protocol);
    } finally {
      await server?.stop();
      await vault.stop();
    }
  });
});

import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  type CookieJarClient,
  checkSignInAndOut,
  createCookieJarClient,
  nextQuickstartRoutes,
} from "@sessionvault/testkit";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type NextApp, nextBuild, nextStart } from "../setup/next-app.js";

const packageRoot = join(dirname(fileURLToPath(import.meta.url)), "../..");
const appDir = join(packageRoot, "test/readme-app");

/** The README's quickstart files: fenced blocks tagged `file=<path>` between the markers. */
function quickstartFiles(): Map<string, string> {
  const readme = readFileSync(join(packageRoot, "README.md"), "utf8");
  const section = readme.split("<!-- quickstart:start -->")[1]?.split("<!-- quickstart:end -->")[0] ?? "";
  const files = new Map<string, string>();
  for (const match of section.matchAll(/```\w+ file=(\S+)\n([\s\S]*?)```/g)) {
    files.set(match[1] as string, match[2] as string);
  }
  return files;
}

let app: NextApp;

beforeAll(async () => {
  const files = quickstartFiles();
  expect([...files.keys()].sort()).toEqual([
    "app/actions.ts",
    "app/api/sign-in/route.ts",
    "app/api/sign-out/route.ts",
    "app/api/visits/route.ts",
    "app/layout.tsx",
    "app/page.tsx",
    "lib/session.ts",
    "proxy.ts",
  ]);
  rmSync(appDir, { recursive: true, force: true });
  for (const [path, source] of files) {
    mkdirSync(dirname(join(appDir, path)), { recursive: true });
    writeFileSync(join(appDir, path), source);
  }
  // As an installed package would be: the README's import names resolve to this build.
  const fixtureTsconfig = JSON.parse(readFileSync(join(packageRoot, "test/fixture/tsconfig.json"), "utf8"));
  writeFileSync(join(appDir, "tsconfig.json"), JSON.stringify(fixtureTsconfig, null, 2));
  writeFileSync(join(appDir, "package.json"), JSON.stringify({ name: "readme-quickstart", private: true }));
  writeFileSync(
    join(appDir, "next.config.mjs"),
    `export default { turbopack: { root: ${JSON.stringify(join(packageRoot, "../.."))} } };\n`,
  );
  await nextBuild(appDir);
  app = await nextStart(appDir, { SESSIONVAULT_URL: inject("vaultUrl"), SESSIONVAULT_TOKEN: inject("vaultToken") });
});

afterAll(async () => {
  await app?.stop();
  rmSync(appDir, { recursive: true, force: true });
});

async function submitForm(client: CookieJarClient): Promise<void> {
  const page = await client.get("/");
  const field = /name="(\$ACTION_ID_[^"]+)"/.exec(page.text)?.[1];
  if (!field) throw new Error("the quickstart page has no Server Action form");
  const body = new FormData();
  body.append(field, "");
  const response = await client.post("/", { body, headers: { origin: client.baseUrl } });
  expect(response.status).toBeLessThan(400);
}

describe("the README quickstart, as written", () => {
  it("counts visits through the Server Action form and reads them in a Route Handler", async () => {
    const client = createCookieJarClient(app.url);
    expect((await client.get("/api/visits")).json()).toEqual({ visits: 0 });
    await submitForm(client);
    await submitForm(client);
    expect(await client.cookie("app_session")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(/<p id="visits">(\d+)<\/p>/.exec((await client.get("/")).text)?.[1]).toBe("2");
    expect((await client.get("/api/visits")).json()).toEqual({ visits: 2 });
  });

  it("the proxy re-sends the cookie of a live session with a fresh Max-Age", async () => {
    const client = createCookieJarClient(app.url);
    await submitForm(client);
    const id = await client.cookie("app_session");
    const refreshed = (await client.get("/")).headers.getSetCookie().find((c) => c.startsWith("app_session="));
    expect(refreshed).toMatch(new RegExp(`^app_session=${id};.*Max-Age=604800`));
  });

  it("counts visits in its Route Handler; sign-in rotates the session id and sign-out deletes the session", async () => {
    await checkSignInAndOut(app.url, nextQuickstartRoutes);
  });
});

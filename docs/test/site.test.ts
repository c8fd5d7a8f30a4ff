import { existsSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { docsRoot } from "./markdown.js";
import { type Child, freePort, start, waitForHttp } from "./processes.js";

// The built site (`build` runs before `test`), served by `vitepress preview`, in a real Chromium.
const RESULTS = join(docsRoot, "test-results");
const vitepressBin = join(
  dirname(createRequire(join(docsRoot, "package.json")).resolve("vitepress/package.json")),
  "bin/vitepress.js",
);

let preview: Child;
let browser: Browser;
let url: string;

beforeAll(async () => {
  expect(existsSync(join(docsRoot, ".vitepress/dist/index.html")), "run the docs build first").toBe(true);
  const port = await freePort();
  preview = start(process.execPath, [vitepressBin, "preview", "--port", String(port), "--host", "127.0.0.1"], {
    cwd: docsRoot,
    env: { ...process.env },
  });
  url = `http://127.0.0.1:${port}`;
  await waitForHttp(url, preview, 30_000);
  browser = await chromium.launch({
    executablePath: process.env.SV_CHROMIUM ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--headless",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
  mkdirSync(RESULTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await preview?.stop();
});

describe("the docs site in a browser", () => {
  it("shows the home page with its sidebar sections", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(url);
    await expect.poll(() => page.getByRole("heading", { level: 1 }).first().textContent()).toContain("sessionvault");
    const sidebar = page.locator(".VPSidebar");
    for (const section of ["Introduction", "Quickstarts", "Reference"]) {
      expect(await sidebar.getByText(section, { exact: true }).isVisible(), section).toBe(true);
    }
    expect(await sidebar.getByRole("link", { name: "Troubleshooting" }).isVisible()).toBe(true);
    await page.screenshot({ path: join(RESULTS, "home.png"), fullPage: false });
    await page.close();
  });

  it("renders the API reference generated from the contract", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${url}/reference/api`);
    for (const operation of ["SessionUpsert", "SessionListUserSessions", "UserCreate", "TokenCreateBulk"]) {
      expect(await page.getByRole("heading", { name: operation }).first().isVisible(), operation).toBe(true);
    }
    expect(await page.getByText("POST /v2/SessionUpsert").isVisible()).toBe(true);
    await page.screenshot({ path: join(RESULTS, "api-reference.png"), fullPage: false });
    await page.close();
  });
});

import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { createVaultClient, type VaultClient } from "@sessionvault/client";
import { createCookieJarClient, startVault } from "@sessionvault/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkQuickstartApp } from "./app-protocol.js";
import { docsRoot, expectedOutput, pages, type Sample, samplesOf } from "./markdown.js";
import { buildAndStartNextApp } from "./next-app.js";
import { freePort, run, start, waitForHttp } from "./processes.js";

// Every ts/js/tsx block in docs/ runs here against a real vault. A block is
// - a script (default): it must exit 0 and print each `// => text` it announces, in order;
// - `server`: an app that listens on $PORT; the quickstart protocol drives it through a cookie jar;
// - `file=path`: one file of an app assembled from the page (the Next.js quickstart), built and run;
// - `no-run`: a fragment that cannot run alone. Kept rare (checked below).

const samplesDir = join(docsRoot, ".samples");
const all = pages().flatMap((page) => samplesOf(page));

let vault: Awaited<ReturnType<typeof startVault>>;
let client: VaultClient;

beforeAll(async () => {
  rmSync(samplesDir, { recursive: true, force: true });
  mkdirSync(samplesDir, { recursive: true });
  vault = await startVault();
  client = createVaultClient({ baseUrl: vault.url, token: vault.token });
});

afterAll(async () => {
  await vault?.destroy();
});

function sampleEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    SESSIONVAULT_URL: vault.url,
    SESSIONVAULT_TOKEN: vault.token,
    NODE_ENV: "development",
    NEXT_TELEMETRY_DISABLED: "1",
    ...extra,
  };
  delete env.NODE_OPTIONS;
  delete env.VITEST;
  return env;
}

function writeSample(sample: Sample): string {
  const slug = sample.page.replace(/\.md$/, "").replace(/[^a-z0-9]+/gi, "-");
  const ext = sample.lang === "js" || sample.lang === "javascript" || sample.lang === "mjs" ? "mjs" : "mts";
  const path = join(samplesDir, `${slug}-L${sample.line}.${ext}`);
  writeFileSync(path, sample.code);
  return path;
}

const where = (s: Sample) => `${s.page}:${s.line}`;

describe("docs samples", () => {
  it("runs samples on every page, and keeps no-run fragments rare", () => {
    const required = [
      "index.md",
      "concepts.md",
      "privacy.md",
      "reference/sdk.md",
      "troubleshooting.md",
      "quickstart/express.md",
      "quickstart/koa.md",
      "quickstart/fastify.md",
      "quickstart/next.md",
      "migration/connect-redis.md",
      "migration/iron-session.md",
      "migration/databunker-session-store.md",
    ];
    for (const page of required) {
      expect(all.filter((s) => s.page === page && !s.flags.has("no-run")).length, page).toBeGreaterThan(0);
    }
    const noRun = all.filter((s) => s.flags.has("no-run"));
    expect(noRun.length, noRun.map(where).join(", ")).toBeLessThanOrEqual(Math.max(3, Math.floor(all.length * 0.15)));
  });

  for (const sample of all.filter((s) => !s.flags.has("no-run") && !s.attrs.has("file") && !s.flags.has("server"))) {
    it(`runs ${where(sample)}`, async () => {
      const file = writeSample(sample);
      const result = await run(process.execPath, [file], { cwd: samplesDir, env: sampleEnv(), timeoutMs: 60_000 });
      expect(result.code, result.output).toBe(0);
      let from = 0;
      for (const marker of expectedOutput(sample.code)) {
        const at = result.stdout.indexOf(marker, from);
        expect(at, `expected "${marker}" in the output of ${where(sample)}:\n${result.output}`).toBeGreaterThanOrEqual(
          0,
        );
        from = at + marker.length;
      }
    });
  }

  for (const sample of all.filter((s) => s.flags.has("server"))) {
    it(`serves ${where(sample)} and passes the quickstart protocol`, async () => {
      const file = writeSample(sample);
      const port = await freePort();
      const app = start(process.execPath, [file], { cwd: samplesDir, env: sampleEnv({ PORT: String(port) }) });
      try {
        const url = `http://127.0.0.1:${port}`;
        await waitForHttp(url, app, 30_000);
        await checkQuickstartApp(url, client, sample.attrs.get("prefix") ?? "");
      } finally {
        await app.stop();
      }
    });
  }

  const appPages = [...new Set(all.filter((s) => s.attrs.has("file")).map((s) => s.page))];
  for (const page of appPages) {
    it(`builds the app of ${page} with next build, starts it and passes the quickstart protocol`, async () => {
      const files = all.filter((s) => s.page === page && s.attrs.has("file"));
      const dir = join(samplesDir, page.replace(/\.md$/, "").replace(/[^a-z0-9]+/gi, "-"));
      for (const sample of files) {
        const path = join(dir, sample.attrs.get("file") as string);
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, sample.code);
      }
      const app = await buildAndStartNextApp(dir, sampleEnv());
      try {
        await checkQuickstartApp(app.url, client, "/api", {
          async signedOut(browser) {
            const account = await browser.get("/account");
            expect(account.status).toBe(307);
            expect(new URL(account.headers.get("location") ?? "", app.url).pathname).toBe("/");
          },
          async signedIn(browser) {
            const account = await browser.get("/account");
            expect(account.status, account.text).toBe(200);
            expect(account.text).toContain("Signed in as Ada");
            const devices = await browser.get("/api/devices");
            expect(devices.status, devices.text).toBe(200);
            expect(devices.json<{ total: number; devices: { current: boolean }[] }>()).toMatchObject({
              total: 1,
              devices: [{ current: true }],
            });
            // A second device of the same user, then "sign out everywhere else" from the first.
            const other = createCookieJarClient(app.url);
            const email = /"email":"([^"]+)"/.exec((await browser.get("/api/me")).text)?.[1];
            expect((await other.post("/api/login", { json: { email, name: "Ada" } })).status).toBe(200);
            expect((await browser.get("/api/devices")).json<{ total: number }>().total).toBe(2);
            const revoked = await browser.request("/api/devices", { method: "DELETE" });
            expect(revoked.json<{ deleted: number }>().deleted).toBe(1);
            expect((await other.get("/api/me")).status).toBe(401);
            expect((await browser.get("/api/me")).status).toBe(200);
          },
        });
        // The Server Action form, submitted the way a browser without JavaScript does.
        const browser = createCookieJarClient(app.url);
        const visits = async () => /Visits: (\d+)/.exec((await browser.get("/")).text)?.[1];
        expect(await visits()).toBe("0");
        for (const expected of ["1", "2"]) {
          const page = await browser.get("/");
          const action = /<form[^>]*id="count"[^>]*>.*?name="(\$ACTION_ID_[^"]+)"/s.exec(page.text)?.[1];
          expect(action, page.text).toBeDefined();
          const body = new FormData();
          body.append(action as string, "");
          const submitted = await browser.post("/", { body, headers: { origin: app.url } });
          expect(submitted.status, submitted.text).toBeLessThan(400);
          expect(await visits()).toBe(expected);
        }
      } finally {
        await app.stop();
      }
    }, 600_000);
  }
});

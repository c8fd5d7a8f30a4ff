import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appDir, startDemo } from "../scripts/run-demo.mjs";

const CHROMIUM = process.env.SV_CHROMIUM ?? "/usr/bin/chromium";
const RESULTS = join(appDir, "test-results");
const COOKIE = "dashboard_session";
const LAPTOP_UA =
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const PHONE_UA =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";
const TABLET_UA =
  "Mozilla/5.0 (Linux; Android 14; Pixel Tablet) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

let demo: Awaited<ReturnType<typeof startDemo>>;
let browser: Browser;

beforeAll(async () => {
  // The same code path as `npm run demo`: sessionvault dev + next start (building if needed).
  demo = await startDemo({});
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
});

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
});

async function device(userAgent: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ userAgent, viewport: { width: 1200, height: 760 }, deviceScaleFactor: 1 });
  return { context, page: await context.newPage() };
}

async function signIn(page: Page, user: string): Promise<void> {
  await page.goto(demo.url);
  await page.getByTestId(`sign-in-${user}`).click();
  await page.waitForURL("**/dashboard");
}

async function sessionId(context: BrowserContext): Promise<string | undefined> {
  return (await context.cookies()).find((cookie) => cookie.name === COOKIE)?.value;
}

describe("the dashboard in a real browser", () => {
  it("signs in on two devices, revokes one from the other, and the revoked one is signed out", async () => {
    const laptop = await device(LAPTOP_UA);
    const phone = await device(PHONE_UA);
    await signIn(laptop.page, "ada");
    await signIn(phone.page, "ada");

    const laptopCookie = (await laptop.context.cookies()).find((cookie) => cookie.name === COOKIE);
    expect(laptopCookie).toMatchObject({ httpOnly: true, sameSite: "Lax", secure: true });
    expect(laptopCookie?.value).toMatch(/^[A-Za-z0-9_-]{43}$/);

    // The visit counter: sign-in lands on /dashboard (1), a reload counts again (2).
    await expect.poll(() => laptop.page.getByTestId("visits").textContent()).toBe("1");
    await laptop.page.reload();
    expect(await laptop.page.getByTestId("visits").textContent()).toBe("2");
    await laptop.page.getByRole("link", { name: "Your sessions", exact: true }).click();
    await laptop.page.waitForURL("**/sessions");

    const rows = laptop.page.getByTestId("device");
    await expect.poll(() => rows.count()).toBe(2);
    const current = laptop.page.locator('[data-testid="device"].current');
    expect(await current.textContent()).toContain("Chrome 131 on macOS");
    // Rows tell devices apart: browser and version, OS, an approximate network, the sign-in time.
    expect(await current.getByTestId("device-network").textContent()).toBe("127.0.0.x");
    expect(await current.textContent()).toMatch(/Signed in \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    expect(await current.textContent()).toContain("This device");
    const other = laptop.page.locator('[data-testid="device"]:not(.current)');
    expect(await other.textContent()).toContain("Safari 18.1 on iOS");

    // Other sessions are referenced by opaque handles: no session id reaches the page.
    const html = await laptop.page.content();
    const phoneId = (await sessionId(phone.context)) as string;
    expect(phoneId).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(html).not.toContain(phoneId);
    expect(html).not.toContain(laptopCookie?.value as string);

    mkdirSync(RESULTS, { recursive: true });
    await laptop.page.screenshot({ path: join(RESULTS, "sessions.png"), fullPage: true });

    await other.getByTestId("sign-out-device").click();
    await laptop.page.getByRole("status").waitFor();
    expect(await laptop.page.getByRole("status").textContent()).toContain("signed out");
    await expect.poll(() => rows.count()).toBe(1);

    // The phone's next navigation finds no session, lands on the sign-in page and is told why.
    await phone.page.goto(`${demo.url}/dashboard`);
    await phone.page.waitForURL(`${demo.url}/?signed-out=elsewhere`);
    expect(await phone.page.getByRole("heading", { name: "Sign in" }).isVisible()).toBe(true);
    expect(await phone.page.getByTestId("signed-out-notice").textContent()).toContain(
      "You were signed out from another device",
    );
    expect(await phone.page.content()).not.toContain(phoneId);
    await phone.page.screenshot({ path: join(RESULTS, "signed-out-notice.png"), fullPage: true });
    expect(await sessionId(phone.context)).toBeUndefined();

    // The laptop is still signed in.
    await laptop.page.goto(`${demo.url}/dashboard`);
    expect(await laptop.page.getByTestId("visits").textContent()).toBe("3");
    await laptop.page.screenshot({ path: join(RESULTS, "dashboard.png"), fullPage: true });

    // "Sign out" in the header ends this device's session.
    await laptop.page.getByTestId("sign-out").click();
    await laptop.page.waitForURL(`${demo.url}/`);
    expect(await sessionId(laptop.context)).toBeUndefined();

    await laptop.context.close();
    await phone.context.close();
  });

  it("fits the sign-in card on a 390 px phone screen without horizontal scrolling", async () => {
    const context = await browser.newContext({
      userAgent: PHONE_UA,
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
    });
    const page = await context.newPage();
    await page.goto(demo.url);
    const card = page.locator(".signin-card");
    await card.waitFor();
    const box = await card.boundingBox();
    expect(box?.x).toBeGreaterThanOrEqual(0);
    expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(390);
    const widths = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      client: document.documentElement.clientWidth,
    }));
    expect(widths.scroll).toBeLessThanOrEqual(widths.client);
    for (const user of ["ada", "grace", "alan"])
      expect(await page.getByTestId(`sign-in-${user}`).isVisible()).toBe(true);
    mkdirSync(RESULTS, { recursive: true });
    await page.screenshot({ path: join(RESULTS, "sign-in-phone-390.png"), fullPage: true });
    await context.close();
  });

  it("ignores forged handles, signs out everywhere else, then this device from its own row", async () => {
    const laptop = await device(LAPTOP_UA);
    const phone = await device(PHONE_UA);
    const tablet = await device(TABLET_UA);
    for (const { page } of [laptop, phone, tablet]) await signIn(page, "grace");

    await laptop.page.goto(`${demo.url}/sessions`);
    await expect.poll(() => laptop.page.getByTestId("device").count()).toBe(3);

    // A handle that is not an HMAC of one of this user's sessions signs nothing out.
    await laptop.page
      .locator('input[name="handle"]')
      .last()
      .evaluate((input: HTMLInputElement) => {
        input.value = "forged-handle";
      });
    await laptop.page.getByTestId("sign-out-device").last().click();
    await laptop.page.waitForURL("**/sessions?notice=gone");
    expect(await laptop.page.getByRole("status").textContent()).toContain("already ended");
    expect(await laptop.page.getByTestId("device").count()).toBe(3);

    // "Sign out everywhere else" asks first; cancelling signs nothing out.
    await laptop.page.getByTestId("sign-out-others").click();
    await laptop.page.getByTestId("confirm-others").waitFor();
    expect(await laptop.page.getByTestId("confirm-others").textContent()).toContain("Sign out 2 other sessions?");
    await laptop.page.screenshot({ path: join(RESULTS, "confirm-sign-out-others.png"), fullPage: true });
    await laptop.page.getByTestId("cancel-sign-out-others").click();
    await laptop.page.waitForURL(`${demo.url}/sessions`);
    expect(await laptop.page.getByTestId("device").count()).toBe(3);
    await laptop.page.getByTestId("sign-out-others").click();
    await laptop.page.getByTestId("confirm-sign-out-others").click();
    await laptop.page.waitForURL("**/sessions?notice=others*");
    expect(await laptop.page.getByRole("status").textContent()).toContain("Signed out 2 other sessions");
    expect(await laptop.page.getByTestId("device").count()).toBe(1);

    for (const { page } of [phone, tablet]) {
      await page.goto(`${demo.url}/sessions`);
      await page.waitForURL(`${demo.url}/?signed-out=elsewhere`);
    }

    // "Sign out" on this device's own row ends its session.
    const before = (await sessionId(laptop.context)) as string;
    await laptop.page.locator('[data-testid="device"].current').getByTestId("sign-out-device").click();
    await laptop.page.waitForURL(`${demo.url}/`);
    expect(await sessionId(laptop.context)).toBeUndefined();
    // Replaying the old cookie gets nowhere: the session is gone in the vault.
    await laptop.context.addCookies([{ name: COOKIE, value: before, url: demo.url, httpOnly: true, secure: true }]);
    await laptop.page.goto(`${demo.url}/dashboard`);
    await laptop.page.waitForURL(`${demo.url}/?signed-out=elsewhere`);

    for (const { context } of [laptop, phone, tablet]) await context.close();
  });
});

import type { CookieJarClient } from "@sessionvault/testkit";
import { describe, expect, it } from "vitest";
import { browser, COOKIE, command, vault } from "../setup/harness.js";

/** Submits one of the page's Server Action forms the way a browser without JavaScript does. */
async function submit(client: CookieJarClient, formId: string) {
  const page = await client.get("/actions");
  const form = new RegExp(`<form[^>]*id="${formId}"[^>]*>.*?name="(\\$ACTION_ID_[^"]+)"`, "s").exec(page.text);
  if (!form?.[1]) throw new Error(`form #${formId} has no action field`);
  const body = new FormData();
  body.append(form[1], "");
  const response = await client.post("/actions", { body, headers: { origin: client.baseUrl } });
  expect(response.status).toBeLessThan(400);
  return response;
}

function visits(html: string): number {
  return Number(/<p id="visits">(\d+)<\/p>/.exec(html)?.[1]);
}

describe("Server Actions", () => {
  it("create and update the session through a real form POST", async () => {
    const client = browser();
    const first = await submit(client, "count");
    expect(first.headers.getSetCookie().some((c) => c.startsWith(`${COOKIE}=`))).toBe(true);
    await submit(client, "count");
    await submit(client, "count");
    expect(visits((await client.get("/actions")).text)).toBe(3);
    expect((await vault().getSession((await client.cookie(COOKIE)) as string))?.data).toEqual({ visits: 3 });
  });

  it("sign out deletes the session in the vault and expires the cookie", async () => {
    const client = browser();
    await command(client, { op: "save", data: { visits: 2 } });
    const id = (await client.cookie(COOKIE)) as string;
    await submit(client, "signout");
    expect(await client.cookie(COOKIE)).toBeUndefined();
    expect(await vault().getSession(id)).toBeNull();
    expect(visits((await client.get("/actions")).text)).toBe(0);
  });
});

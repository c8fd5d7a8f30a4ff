import { describe, expect, it } from "vitest";
import { browser, COOKIE, command, vault } from "../setup/harness.js";

describe("Route Handlers", () => {
  it("create a session whose cookie holds only a 256-bit random id", async () => {
    const client = browser();
    const response = await client.post("/api/session", {
      json: { op: "save", data: { visits: 1, note: "x".repeat(10_000) } },
    });
    expect(response.status).toBe(200);
    const [setCookie] = response.headers.getSetCookie();
    expect(setCookie).toBeDefined();
    const id = await client.cookie(COOKIE);
    expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // The data lives in the vault, not in the cookie: 10 kB of data, a 32-character cookie.
    expect(setCookie?.length).toBeLessThan(200);
    expect((await vault().getSession(id as string))?.data).toEqual({ visits: 1, note: "x".repeat(10_000) });
  });

  it("set HttpOnly, SameSite=Lax, Path=/ and Secure (next start runs in production)", async () => {
    const client = browser();
    const response = await client.post("/api/session", { json: { op: "save", data: { visits: 1 } } });
    const setCookie = response.headers.getSetCookie()[0] ?? "";
    expect(setCookie).toMatch(/^fx_session=[A-Za-z0-9_-]{43};/);
    expect(setCookie).toMatch(/; HttpOnly/i);
    expect(setCookie).toMatch(/; SameSite=lax/i);
    expect(setCookie).toMatch(/; Secure/i);
    expect(setCookie).toMatch(/; Path=\/(;|$)/);
    expect(setCookie).toMatch(/; Max-Age=3600/);
  });

  it("use the __Host- prefix over HTTPS and ignore an unprefixed cookie there", async () => {
    const client = browser();
    const https = { "x-forwarded-proto": "https" };
    const response = await client.post("/api/session", { json: { op: "save", data: { visits: 7 } }, headers: https });
    const setCookie = response.headers.getSetCookie()[0] ?? "";
    expect(setCookie).toMatch(/^__Host-fx_session=[A-Za-z0-9_-]{43};/);
    expect(setCookie).toMatch(/; Secure/i);
    expect(setCookie).toMatch(/; Path=\/(;|$)/);
    expect(setCookie).not.toMatch(/Domain=/i);
    const id = /^__Host-fx_session=([^;]+)/.exec(setCookie)?.[1] as string;

    const read = (cookie: string, headers: Record<string, string>) =>
      fetch(`${client.baseUrl}/api/session`, { headers: { cookie, ...headers } }).then((r) => r.json());
    expect(await read(`__Host-fx_session=${id}`, https)).toMatchObject({ data: { visits: 7 } });
    // A cookie without the prefix could have been planted by a sibling subdomain: not trusted over HTTPS.
    expect(await read(`fx_session=${id}`, https)).toMatchObject({ data: null });
  });

  it("getSession after a write in the same request sees the write", async () => {
    const client = browser();
    await command(client, { op: "save", data: { visits: 1 } });
    const response = await client.post("/api/session", { json: { op: "read-after-write", data: { visits: 2 } } });
    expect(response.json()).toEqual({ before: { visits: 1 }, after: { visits: 2 } });
  });

  it("update merges keys, save replaces them", async () => {
    const client = browser();
    await command(client, { op: "save", data: { visits: 1, note: "keep?" } });
    expect((await command(client, { op: "update", data: { visits: 2 } })).data).toEqual({ visits: 2, note: "keep?" });
    expect((await command(client, { op: "save", data: { visits: 3 } })).data).toEqual({ visits: 3 });
    const id = await client.cookie(COOKIE);
    expect((await vault().getSession(id as string))?.data).toEqual({ visits: 3 });
  });

  it("regenerate moves to a new id, keeping or dropping the data, and kills the old id", async () => {
    const client = browser();
    await command(client, { op: "save", data: { visits: 4 } });
    const first = (await client.cookie(COOKIE)) as string;
    expect((await command(client, { op: "regenerate", keepData: true })).data).toEqual({ visits: 4 });
    const second = (await client.cookie(COOKIE)) as string;
    expect(second).not.toBe(first);
    expect(await vault().getSession(first)).toBeNull();
    expect((await vault().getSession(second))?.data).toEqual({ visits: 4 });

    expect((await command(client, { op: "regenerate", keepData: false })).data).toBeNull();
    expect(await vault().getSession(second)).toBeNull();
    expect(await client.cookie(COOKIE)).toBeUndefined();
  });

  it("surface an unreachable vault as a 5xx, never as an empty session", async () => {
    const client = browser();
    await command(client, { op: "save", data: { visits: 1 } });
    // /api/unreachable reads the same cookie through a client pointed at a closed port.
    const response = await client.get("/api/unreachable");
    // The engine's code, for the app to switch on: the visitor is not signed out, the request fails.
    expect(response.status).toBe(503);
    expect(response.json()).toEqual({ code: "vault_unavailable" });
    expect(response.text).not.toContain((await client.cookie(COOKIE)) as string);
  });
});

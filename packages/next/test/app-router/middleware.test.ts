import { describe, expect, it } from "vitest";
import { browser, COOKIE, command, renderedJson, vault } from "../setup/harness.js";

describe("middleware on the edge runtime", () => {
  it("reads the session, writes to it and refreshes the cookie", async () => {
    const client = browser();
    await command(client, { op: "save", data: { visits: 1 } });
    const id = (await client.cookie(COOKIE)) as string;
    const response = await client.get("/edge");
    expect(response.headers.get("x-edge-session")).toBe("live");
    const refreshed = response.headers.getSetCookie().find((c) => c.startsWith(`${COOKIE}=`)) ?? "";
    expect(refreshed).toMatch(new RegExp(`^${COOKIE}=${id};.*Max-Age=3600`, "i"));
    expect(refreshed).toMatch(/HttpOnly/i);
    // The page renders after the middleware's write.
    expect(renderedJson(response.text, "session")).toEqual({ data: { visits: 1, edgeHits: 1 } });
    await client.get("/edge");
    expect((await vault().getSession(id))?.data).toEqual({ visits: 1, edgeHits: 2 });
  });

  it("reads the __Host- cookie when the request arrived over HTTPS", async () => {
    const client = browser();
    const https = { "x-forwarded-proto": "https" };
    const saved = await client.post("/api/session", { json: { op: "save", data: { visits: 9 } }, headers: https });
    const id = /^__Host-fx_session=([^;]+)/.exec(saved.headers.getSetCookie()[0] ?? "")?.[1] as string;
    const response = await fetch(`${client.baseUrl}/edge`, { headers: { cookie: `__Host-${COOKIE}=${id}`, ...https } });
    expect(response.headers.get("x-edge-session")).toBe("live");
    const refreshed = response.headers.getSetCookie().find((c) => c.startsWith(`__Host-${COOKIE}=`)) ?? "";
    expect(refreshed).toMatch(/; Secure/i);
  });

  it("guards a route: no session, redirect", async () => {
    const client = browser();
    const anonymous = await client.get("/edge/protected");
    expect(anonymous.status).toBe(307);
    expect(anonymous.headers.get("location")).toMatch(/\/$/);
    await command(client, { op: "save", data: { visits: 1 } });
    const signedIn = await client.get("/edge/protected");
    expect(signedIn.status).toBe(200);
    expect(signedIn.text).toContain('id="protected"');
  });

  it("expires the cookie of a session the vault no longer knows", async () => {
    const client = browser();
    await command(client, { op: "save", data: { visits: 1 } });
    const id = (await client.cookie(COOKIE)) as string;
    await vault().deleteSession(id);
    const response = await client.get("/edge");
    expect(response.headers.get("x-edge-session")).toBe("none");
    expect(renderedJson(response.text, "session")).toEqual({ data: null });
    expect(await client.cookie(COOKIE)).toBeUndefined();
  });
});

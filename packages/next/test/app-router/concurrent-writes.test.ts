import { describe, expect, it } from "vitest";
import { browser, COOKIE, command, vault } from "../setup/harness.js";

describe("concurrent requests on one session", () => {
  it("keep both changes when two requests change different keys: a save sends only what it changed", async () => {
    const client = browser();
    await command(client, { op: "save", data: { visits: 0, note: "start" } });
    // Both requests load { visits: 0 }; the first saves visits + 1 early, the second saves
    // its stale copy with a new role late. Writing the whole data would undo the first.
    const [first, second] = await Promise.all([
      command(client, { op: "increment-after", delayMs: 300 }),
      command(client, { op: "set-after", key: "role", value: "admin", delayMs: 1_500 }),
    ]);
    expect(first.data).toEqual({ visits: 1, note: "start" });
    // The second request still saw the old count: the two really overlapped.
    expect(second.data).toEqual({ visits: 0, note: "start", role: "admin" });
    const id = (await client.cookie(COOKIE)) as string;
    expect((await vault().getSession(id))?.data).toEqual({ visits: 1, note: "start", role: "admin" });
    expect((await client.get("/api/session")).json()).toMatchObject({ data: { visits: 1, role: "admin" } });
  });

  it("refuse to bring back a session revoked while a request held it: session_gone, cookie expired", async () => {
    const client = browser();
    await command(client, { op: "save", data: { visits: 0 } });
    const id = (await client.cookie(COOKIE)) as string;
    const pending = client.post("/api/session", {
      json: { op: "set-after", key: "note", value: "late", delayMs: 800 },
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await vault().deleteSession(id);
    const response = await pending;
    expect(response.status).toBe(401);
    expect(response.json()).toEqual({ code: "session_gone" });
    expect(await vault().getSession(id)).toBeNull();
    expect(await client.cookie(COOKIE)).toBeUndefined();
  });
});

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
});

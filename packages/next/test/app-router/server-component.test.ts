import { describe, expect, it } from "vitest";
import { browser, command, renderedJson } from "../setup/harness.js";

describe("Server Components", () => {
  it("render the session the Route Handler wrote", async () => {
    const client = browser();
    await command(client, { op: "save", data: { visits: 3, note: "hello" } });
    const page = await client.get("/");
    expect(page.status).toBe(200);
    const view = renderedJson<{ data: unknown; same: boolean }>(page.text, "session");
    expect(view.data).toEqual({ visits: 3, note: "hello" });
    // Two getSession() calls in one render return the same object: one vault read.
    expect(view.same).toBe(true);
  });

  it("see no session without a cookie, and for an id the vault never issued", async () => {
    const client = browser();
    expect(renderedJson(await (await client.get("/")).text, "session")).toMatchObject({ data: null });
    await client.setCookie("fx_session", "A".repeat(32));
    expect(renderedJson(await (await client.get("/")).text, "session")).toMatchObject({ data: null });
  });

  it("refuse every write with a read_only error and leave the session untouched", async () => {
    const client = browser();
    await command(client, { op: "save", data: { visits: 5 } });
    const before = await client.cookie("fx_session");
    const page = await client.get("/readonly");
    expect(page.status).toBe(200);
    expect(renderedJson(page.text, "results")).toEqual({
      mutableSave: "read_only",
      mutableDestroy: "read_only",
      mutableRegenerate: "read_only",
      readonlySave: "read_only",
    });
    expect(page.headers.getSetCookie()).toEqual([]);
    expect(await client.cookie("fx_session")).toBe(before);
    expect((await command(client, { op: "save", data: { visits: 6 } })).data).toEqual({ visits: 6 });
    expect(renderedJson(await (await client.get("/")).text, "session")).toMatchObject({ data: { visits: 6 } });
  });
});

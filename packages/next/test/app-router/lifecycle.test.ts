import { describe, expect, it } from "vitest";
import { browser, COOKIE, command, createUser, vault } from "../setup/harness.js";

describe("session lifecycle against the vault", () => {
  it("sign-in rotates the id and the pre-sign-in id is dead in the vault", async () => {
    const client = browser();
    await command(client, { op: "save", data: { visits: 2 } });
    const anonymous = (await client.cookie(COOKIE)) as string;
    const user = await createUser();
    const signedIn = await command(client, { op: "signin", userToken: user, role: "admin" });
    expect(signedIn).toEqual({ data: { visits: 2, role: "admin" }, userToken: user });
    const current = (await client.cookie(COOKIE)) as string;
    expect(current).not.toBe(anonymous);
    expect(await vault().getSession(anonymous)).toBeNull();
    expect((await vault().getSession(current))?.usertoken).toBe(user);
  });

  it("a planted cookie is never adopted: saving under it issues a fresh id", async () => {
    const client = browser();
    const planted = "P".repeat(32);
    await client.setCookie(COOKIE, planted);
    await command(client, { op: "save", data: { visits: 1 } });
    const issued = (await client.cookie(COOKIE)) as string;
    expect(issued).not.toBe(planted);
    expect(await vault().getSession(planted)).toBeNull();
  });

  it("a cookie replayed after sign-out gets no session", async () => {
    const client = browser();
    const user = await createUser();
    await command(client, { op: "signin", userToken: user, role: "member" });
    const stolen = await client.clone();
    await command(client, { op: "signout" });
    const replay = await stolen.get("/api/session");
    expect(replay.json()).toEqual({ data: null, userToken: null });
    // Writing through the replayed cookie must not bring the session back under the old id.
    const oldId = (await stolen.cookie(COOKIE)) as string;
    await command(stolen, { op: "save", data: { visits: 1 } });
    expect(await stolen.cookie(COOKIE)).not.toBe(oldId);
    expect(await vault().getSession(oldId)).toBeNull();
  });

  it("lists a user's sessions and signs out everywhere else", async () => {
    const user = await createUser();
    const laptop = browser();
    const phone = browser();
    await command(laptop, { op: "signin", userToken: user, role: "member" });
    await command(phone, { op: "signin", userToken: user, role: "member" });
    const listed = (await laptop.post("/api/session", { json: { op: "list" } })).json<{
      total: number;
      rows: { current: boolean }[];
    }>();
    expect(listed.total).toBe(2);
    expect(listed.rows.filter((row) => row.current)).toHaveLength(1);
    // The deprecated name lists the same.
    expect((await laptop.post("/api/session", { json: { op: "legacy-list" } })).json()).toEqual(listed);

    const revoked = (await laptop.post("/api/session", { json: { op: "revoke-others" } })).json<{ deleted: number }>();
    expect(revoked.deleted).toBe(1);
    expect((await phone.get("/api/session")).json()).toEqual({ data: null, userToken: null });
    expect((await laptop.get("/api/session")).json()).toMatchObject({ userToken: user });
  });

  it("the deprecated revokeUser with keepCurrent still signs out everywhere else", async () => {
    const user = await createUser();
    const [laptop, phone] = [browser(), browser()];
    await command(laptop, { op: "signin", userToken: user, role: "member" });
    await command(phone, { op: "signin", userToken: user, role: "member" });
    const revoked = await laptop.post("/api/session", { json: { op: "legacy-revoke-others" } });
    expect(revoked.json()).toEqual({ deleted: 1 });
    expect((await phone.get("/api/session")).json()).toEqual({ data: null, userToken: null });
    expect((await laptop.get("/api/session")).json()).toMatchObject({ userToken: user });
  });

  it("signIn rotates the id, keeps the data and links the user in the vault record", async () => {
    const client = browser();
    await command(client, { op: "save", data: { visits: 5, note: "cart" } });
    const anonymous = (await client.cookie(COOKIE)) as string;
    const user = await createUser();
    expect(await command(client, { op: "sign-in", userToken: user })).toEqual({
      data: { visits: 5, note: "cart" },
      userToken: user,
    });
    const current = (await client.cookie(COOKIE)) as string;
    expect(current).not.toBe(anonymous);
    expect(await vault().getSession(anonymous)).toBeNull();
    expect(await vault().getSession(current)).toMatchObject({ usertoken: user, data: { visits: 5, note: "cart" } });
  });

  it("a session that expired in the vault is refused even when the browser still sends the cookie", async () => {
    const client = browser();
    await client.post("/api/short", {});
    const id = (await client.cookie("fx_short")) as string;
    expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await client.get("/api/short")).json()).toEqual({ data: { visits: 1 } });
    // The vault runs in its own process on the real clock; its one-second window is the shortest it accepts.
    await new Promise((resolve) => setTimeout(resolve, 2100));
    // Send the cookie as a browser with a skewed clock would, past its Max-Age.
    const response = await fetch(`${client.baseUrl}/api/short`, { headers: { cookie: `fx_short=${id}` } });
    expect(await response.json()).toEqual({ data: null });
    expect(await vault().getSession(id)).toBeNull();
  });
});

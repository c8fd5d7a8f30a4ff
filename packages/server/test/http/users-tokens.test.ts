import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isCardNumber } from "../../src/core/token-format.js";
import { startTestVault, type TestVault } from "../helpers.js";

let t: TestVault;
beforeAll(async () => {
  t = await startTestVault();
});
afterAll(async () => {
  await t.close();
});

describe("users", () => {
  it("creates a profile and finds it by token, login, email (case-insensitive) and phone", async () => {
    const profile = { login: "ann", email: "Ann@Example.com", phone: "+15550001", custom: "emp-7", name: "Ann" };
    const created = await t.call("UserCreate", { profile });
    expect(created.status).toBe(200);
    const token = created.body.token as string;
    for (const [mode, identity] of [
      ["token", token],
      ["login", "ann"],
      ["email", "ann@example.com"],
      ["phone", "+15550001"],
      ["custom", "emp-7"],
    ]) {
      const got = await t.call("UserGet", { mode, identity });
      expect(got.body).toEqual({ status: "ok", token, profile });
    }
  });

  it("keeps identities unique: a second user with the same email is a 409 and claims nothing", async () => {
    await t.call("UserCreate", { profile: { login: "dup-a", email: "dup@example.com" } });
    const clash = await t.call("UserCreate", { profile: { login: "dup-b", email: "DUP@example.com" } });
    expect(clash.status).toBe(409);
    expect(clash.body.message).toBe("profile.email: another user already has this email");
    // The login of the refused profile was released again.
    expect((await t.call("UserCreate", { profile: { login: "dup-b" } })).status).toBe(200);
  });

  it("updates a profile in place: the token stays, old identities are released, new ones claimed", async () => {
    const { body } = await t.call("UserCreate", { profile: { login: "upd-old", email: "upd@example.com" } });
    const update = await t.call("UserUpdate", {
      mode: "login",
      identity: "upd-old",
      profile: { login: "upd-new", email: "upd@example.com" },
    });
    expect(update.body).toEqual({ status: "ok" });
    expect((await t.call("UserGet", { mode: "login", identity: "upd-old" })).status).toBe(404);
    expect((await t.call("UserGet", { mode: "login", identity: "upd-new" })).body.token).toBe(body.token);
    await t.call("UserCreate", { profile: { login: "taken-login" } });
    const clash = await t.call("UserUpdate", { mode: "login", identity: "upd-new", profile: { login: "taken-login" } });
    expect(clash.status).toBe(409);
  });

  it("UserUpdate merges a partial profile: other fields and their lookups stay, null removes a field", async () => {
    const { body } = await t.call("UserCreate", {
      profile: { login: "merge-a", email: "merge@example.com", name: "Ada", address: { city: "London", zip: "N1" } },
    });
    const update = await t.call("UserUpdate", {
      mode: "email",
      identity: "merge@example.com",
      profile: { name: "Ada Lovelace", address: { zip: null }, login: null, phone: "+441234567" },
    });
    expect(update.body).toEqual({ status: "ok" });
    const got = await t.call("UserGet", { mode: "email", identity: "merge@example.com" });
    expect(got.body).toEqual({
      status: "ok",
      token: body.token,
      profile: { email: "merge@example.com", name: "Ada Lovelace", address: { city: "London" }, phone: "+441234567" },
    });
    expect((await t.call("UserGet", { mode: "phone", identity: "+441234567" })).body.token).toBe(body.token);
    // The removed login was released: another user may take it.
    expect((await t.call("UserGet", { mode: "login", identity: "merge-a" })).status).toBe(404);
    expect((await t.call("UserCreate", { profile: { login: "merge-a" } })).status).toBe(200);
  });

  it("deletes a profile and its identities", async () => {
    await t.call("UserCreate", { profile: { email: "gone@example.com" } });
    expect((await t.call("UserDelete", { mode: "email", identity: "gone@example.com" })).status).toBe(200);
    expect((await t.call("UserGet", { mode: "email", identity: "gone@example.com" })).status).toBe(404);
    expect((await t.call("UserDelete", { mode: "email", identity: "gone@example.com" })).status).toBe(404);
    expect((await t.call("UserCreate", { profile: { email: "gone@example.com" } })).status).toBe(200);
  });
});

describe("tokens", () => {
  it("tokenizes a card number into a Luhn-valid number of the same length that keeps the last four", async () => {
    const card = "4111111111111111";
    const created = await t.call("TokenCreate", { tokentype: "creditcard", record: card });
    const base = created.body.tokenbase as string;
    expect(base).toHaveLength(card.length);
    expect(base.slice(-4)).toBe("1111");
    expect(base).not.toBe(card);
    expect(isCardNumber(base)).toBe(true);
    for (const token of [created.body.tokenuuid, base]) {
      expect((await t.call("TokenGet", { token })).body).toEqual({
        status: "ok",
        record: card,
        tokentype: "creditcard",
      });
    }
  });

  it("rejects a card number that fails the Luhn check with a 400 naming the field", async () => {
    const res = await t.call("TokenCreate", { tokentype: "creditcard", record: "4111111111111112" });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/^record: /);
  });

  it("returns the same token for the same value with unique, and a new one without", async () => {
    const a = await t.call("TokenCreate", { tokentype: "email", record: "same@example.com", unique: true });
    const b = await t.call("TokenCreate", { tokentype: "email", record: "same@example.com", unique: true });
    const c = await t.call("TokenCreate", { tokentype: "email", record: "same@example.com" });
    expect(b.body.tokenuuid).toBe(a.body.tokenuuid);
    expect(c.body.tokenuuid).not.toBe(a.body.tokenuuid);
  });

  it("creates tokens in bulk, in order, and deletes them", async () => {
    const bulk = await t.call("TokenCreateBulk", {
      records: [
        { tokentype: "ssn", record: "123-45-6789" },
        { tokentype: "string", record: "a secret note" },
      ],
    });
    const created = bulk.body.created as { tokenuuid: string; tokentype: string; tokenbase: string }[];
    expect(created.map((c) => c.tokentype)).toEqual(["ssn", "string"]);
    expect((await t.call("TokenGet", { token: created[1]!.tokenuuid })).body.record).toBe("a secret note");
    expect((await t.call("TokenDelete", { token: created[0]!.tokenbase })).status).toBe(200);
    expect((await t.call("TokenGet", { token: created[0]!.tokenuuid })).status).toBe(404);
    expect((await t.call("TokenDelete", { token: created[0]!.tokenuuid })).status).toBe(404);
  });

  it("names the failing record in a bulk request", async () => {
    const res = await t.call("TokenCreateBulk", {
      records: [
        { tokentype: "string", record: "ok" },
        { tokentype: "creditcard", record: "1234" },
      ],
    });
    expect(res).toEqual({
      status: 400,
      body: {
        status: "error",
        message: "records.1.record: must be a card number of 12 to 19 digits that passes the Luhn check",
      },
    });
  });
});

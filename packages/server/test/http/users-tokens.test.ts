import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isCardNumber } from "../../src/core/token-format.js";
import { startTestVault, type TestVault, TOKEN } from "../helpers.js";

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
    const created = await t.call("TokenCreate", { tokentype: "creditcard", record: card, baselookup: true });
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
      baselookup: true,
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

/** The raw reply, headers included, minus the one header that differs by the second. */
async function rawCall(operation: string, body: unknown) {
  const res = await fetch(`${t.url}/v2/${operation}`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-bunker-token": TOKEN },
    body: JSON.stringify(body),
  });
  const headers = Object.fromEntries([...res.headers].filter(([name]) => name !== "date"));
  return { status: res.status, headers, text: await res.text() };
}

describe("token base lookup is opt-in", () => {
  it("a token base is not a lookup key unless created with baselookup: same 404 as an unknown token", async () => {
    const unknown = await rawCall("TokenGet", { token: "4929123456781111" });
    expect(unknown.status).toBe(404);
    for (const [tokentype, record] of [
      ["creditcard", "4111111111111111"],
      ["email", "jane.doe@example.com"],
      ["string", "山田太郎 東京都港区1-2-3"],
    ] as const) {
      for (const options of [{}, { baselookup: false }]) {
        const created = await t.call("TokenCreate", { tokentype, record, ...options });
        expect(created.status).toBe(200);
        const base = created.body.tokenbase as string;
        const byBase = await rawCall("TokenGet", { token: base });
        expect(byBase).toEqual(unknown);
        expect(await rawCall("TokenDelete", { token: base })).toEqual(
          await rawCall("TokenDelete", { token: "4929123456781111" }),
        );
        // The uuid still works, and the token was not deleted by its base.
        expect((await t.call("TokenGet", { token: created.body.tokenuuid })).body.record).toBe(record);
      }
    }
  });

  it("with baselookup: true the base reads and deletes the token, on TokenCreate and TokenCreateBulk", async () => {
    const one = await t.call("TokenCreate", { tokentype: "email", record: "opt.in@example.com", baselookup: true });
    expect((await t.call("TokenGet", { token: one.body.tokenbase })).body).toEqual({
      status: "ok",
      record: "opt.in@example.com",
      tokentype: "email",
    });
    const bulk = await t.call("TokenCreateBulk", {
      records: [
        { tokentype: "creditcard", record: "5500005555555559" },
        { tokentype: "phone", record: "+44 20 7946 0958" },
      ],
      baselookup: true,
    });
    const created = bulk.body.created as { tokenuuid: string; tokenbase: string }[];
    expect((await t.call("TokenGet", { token: created[0]!.tokenbase })).body.record).toBe("5500005555555559");
    expect((await t.call("TokenDelete", { token: created[1]!.tokenbase })).status).toBe(200);
    expect((await t.call("TokenGet", { token: created[1]!.tokenuuid })).status).toBe(404);
    const without = await t.call("TokenCreateBulk", {
      records: [{ tokentype: "email", record: "no.lookup@example.com" }],
    });
    const base = (without.body.created as { tokenbase: string }[])[0]!.tokenbase;
    expect(await t.call("TokenGet", { token: base })).toEqual({
      status: 404,
      body: { status: "error", message: "token not found" },
    });
  });

  it("rejects a baselookup that is not a boolean with a 400 naming the field", async () => {
    const res = await t.call("TokenCreate", { tokentype: "email", record: "x@example.com", baselookup: "yes" });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/baselookup/);
  });
});

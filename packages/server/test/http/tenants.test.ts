import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestVault, type TestVault, TOKEN } from "../helpers.js";

let t: TestVault;
beforeAll(async () => {
  t = await startTestVault({
    accessTokens: [
      { id: "tests", token: TOKEN },
      { id: "acme-only", token: "acme-only-token-0123456789", tenants: ["acme"] },
    ],
  });
});
afterAll(async () => {
  await t.close();
});

describe("tenants", () => {
  it("keeps the same session id apart per tenant and from the default scope", async () => {
    await t.call("SessionUpsert", { sessionuuid: "shared-id-01", sessiondata: { who: "acme" } }, { tenant: "acme" });
    await t.call(
      "SessionUpsert",
      { sessionuuid: "shared-id-01", sessiondata: { who: "globex" } },
      { tenant: "globex" },
    );
    expect((await t.call("SessionGet", { sessionuuid: "shared-id-01" }, { tenant: "acme" })).body.sessiondata).toEqual({
      who: "acme",
    });
    expect(
      (await t.call("SessionGet", { sessionuuid: "shared-id-01" }, { tenant: "globex" })).body.sessiondata,
    ).toEqual({
      who: "globex",
    });
    expect((await t.call("SessionGet", { sessionuuid: "shared-id-01" })).status).toBe(404);
    expect((await t.call("SessionGet", { sessionuuid: "shared-id-01" }, { tenant: "initech" })).status).toBe(404);
    await t.call("SessionDelete", { sessionuuid: "shared-id-01" }, { tenant: "globex" });
    expect((await t.call("SessionGet", { sessionuuid: "shared-id-01" }, { tenant: "acme" })).status).toBe(200);
  });

  it("keeps users, identities, listings and tokens per tenant", async () => {
    const a = await t.call("UserCreate", { profile: { email: "same@corp.example" } }, { tenant: "acme" });
    const b = await t.call("UserCreate", { profile: { email: "same@corp.example" } }, { tenant: "globex" });
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect((await t.call("UserGet", { mode: "token", identity: a.body.token }, { tenant: "globex" })).status).toBe(404);
    await t.call(
      "SessionUpsert",
      { sessionuuid: "acme-user-sess", sessiondata: {}, usertoken: a.body.token },
      { tenant: "acme" },
    );
    const globexList = await t.call(
      "SessionListUserSessions",
      { mode: "token", identity: a.body.token },
      { tenant: "globex" },
    );
    expect(globexList.body.rows).toEqual([]);
    const revoke = await t.call("SessionRevokeUser", { mode: "token", identity: a.body.token }, { tenant: "globex" });
    expect(revoke.body.deleted).toBe(0);
    const tok = await t.call(
      "TokenCreate",
      { tokentype: "string", record: "acme secret value", baselookup: true },
      { tenant: "acme" },
    );
    expect((await t.call("TokenGet", { token: tok.body.tokenuuid }, { tenant: "globex" })).status).toBe(404);
    expect((await t.call("TokenGet", { token: tok.body.tokenbase }, { tenant: "globex" })).status).toBe(404);
    expect((await t.call("TokenGet", { token: tok.body.tokenuuid }, { tenant: "acme" })).status).toBe(200);
    expect((await t.call("TokenGet", { token: tok.body.tokenbase }, { tenant: "acme" })).status).toBe(200);
  });

  it("confines a tenant-bound token to its tenants with a 403", async () => {
    const token = "acme-only-token-0123456789";
    expect((await t.call("SessionGet", { sessionuuid: "shared-id-01" }, { token, tenant: "acme" })).status).toBe(200);
    expect((await t.call("SessionGet", { sessionuuid: "shared-id-01" }, { token, tenant: "globex" })).status).toBe(403);
    expect((await t.call("SessionGet", { sessionuuid: "shared-id-01" }, { token })).status).toBe(403);
  });

  it("rejects a malformed tenant name with a 400", async () => {
    const res = await t.call("SessionGet", { sessionuuid: "shared-id-01" }, { tenant: "../../etc" });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/^X-Bunker-Tenant: /);
  });
});

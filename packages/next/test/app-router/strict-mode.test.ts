import { describe, expect, it } from "vitest";
import { browser, vault } from "../setup/harness.js";

describe("strict mode", () => {
  it("refuses personal data, names the path, and writes nothing", async () => {
    const client = browser();
    const response = await client.post("/api/strict", { json: { profile: { email: "ada@example.com" } } });
    expect(response.status).toBe(422);
    const { refused } = response.json<{ refused: string }>();
    expect(refused).toContain("profile.email");
    expect(refused).toContain("tokenizeProfile");
    // The message names where, never what.
    expect(refused).not.toContain("ada@example.com");
    expect(await client.cookie("fx_strict")).toBeUndefined();
  });

  it("accepts a token in place of the profile", async () => {
    const client = browser();
    const { token } = await vault().createUser({ email: `strict-${Date.now()}@example.com` });
    const response = await client.post("/api/strict", { json: { userToken: token, role: "member" } });
    expect(response.status).toBe(200);
    expect(response.json()).toEqual({ data: { userToken: token, role: "member" } });
  });
});

import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { uniqueEmail, useVault } from "./helpers.js";

// CommonJS users get the same package through `require`: the detector alone, and the vault
// helpers with a CommonJS client, against the real vault.
const require = createRequire(import.meta.url);
const vault = useVault();

describe("CommonJS entries", () => {
  it("require('@sessionvault/tokenize/detect') finds PII", () => {
    const detect = require("@sessionvault/tokenize/detect") as typeof import("@sessionvault/tokenize/detect");
    expect(detect.findPII({ user: { email: "ada@example.com" } })).toEqual([{ path: "user.email", kind: "email" }]);
    expect(() => detect.assertNoPII({ phone: "+44 20 7946 0958" })).toThrowError(/phone \(phone\)/);
  });

  it("require('@sessionvault/tokenize') tokenizes a profile through a CommonJS client", async () => {
    const { createVaultClient } = require("@sessionvault/client") as typeof import("@sessionvault/client");
    const tokenize = require("@sessionvault/tokenize") as typeof import("@sessionvault/tokenize");
    const { url, token } = vault.connection();
    const client = createVaultClient({ baseUrl: url, token });
    const email = uniqueEmail();
    const usertoken = await tokenize.tokenizeProfile(client, { email });
    expect(await tokenize.resolveProfile(client, usertoken)).toEqual({ email });
    expect(await tokenize.forgetUser(client, { mode: "token", identity: usertoken })).toMatchObject({
      profileDeleted: true,
    });
  });
});

import { describe, expect, it } from "vitest";
import { isSessionError } from "../../src/errors.js";
import { cookieFor, resolveOptions } from "../../src/options.js";

describe("options", () => {
  it("refuse unusable cookie names and lifetimes", () => {
    for (const bad of [
      { cookieName: "a b" },
      { cookieName: "__Host-x" },
      { ttl: 0 },
      { ttl: 1.5 },
      { absoluteTtl: -1 },
    ]) {
      try {
        resolveOptions(bad);
        expect.unreachable(`accepted ${JSON.stringify(bad)}`);
      } catch (error) {
        expect(isSessionError(error) && error.code).toBe("INVALID_OPTIONS");
      }
    }
  });

  it("name the cookie __Host- and force Secure only over HTTPS in auto mode", () => {
    const options = resolveOptions({ cookieName: "sid", secure: false });
    expect(cookieFor(options, false)).toMatchObject({ name: "sid", attributes: { secure: false } });
    expect(cookieFor(options, true)).toMatchObject({ name: "__Host-sid", attributes: { secure: true, path: "/" } });
    expect(cookieFor(resolveOptions({ cookieName: "sid", hostPrefix: false }), true).name).toBe("sid");
  });

  it("fail on first use, not at import, when no vault is configured", () => {
    const options = resolveOptions({});
    const saved = { url: process.env.SESSIONVAULT_URL, token: process.env.SESSIONVAULT_TOKEN };
    delete process.env.SESSIONVAULT_URL;
    delete process.env.SESSIONVAULT_TOKEN;
    try {
      expect(() => options.client()).toThrow(/SESSIONVAULT_URL/);
    } finally {
      if (saved.url) process.env.SESSIONVAULT_URL = saved.url;
      if (saved.token) process.env.SESSIONVAULT_TOKEN = saved.token;
    }
  });
});

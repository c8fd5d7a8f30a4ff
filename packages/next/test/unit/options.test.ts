import { describe, expect, it } from "vitest";
import { cookieFor, resolveOptions } from "../../src/options.js";
import { NextSessionStore } from "../../src/store.js";

describe("options", () => {
  it("refuse unusable cookie names and lifetimes", () => {
    for (const bad of [
      { cookieName: "a b" },
      { cookieName: "__Host-x" },
      { ttl: 0 },
      { ttl: 1.5 },
      { absoluteTtl: -1 },
    ]) {
      expect(() => resolveOptions(bad), JSON.stringify(bad)).toThrow(TypeError);
    }
  });

  it("give the engine the cookie's lifetime: Max-Age slides, absoluteTtl caps from the first write", () => {
    expect(resolveOptions({ ttl: 600, absoluteTtl: 3600 }).lifetime).toEqual({
      maxAgeMs: 600_000,
      ttlSeconds: 600,
      absoluteSeconds: 3600,
    });
    expect(cookieFor(resolveOptions({ ttl: 600 }), false).attributes.maxAge).toBe(600);
  });

  it("name the cookie __Host- and force Secure only over HTTPS in auto mode", () => {
    const options = resolveOptions({ cookieName: "sid", secure: false });
    expect(cookieFor(options, false)).toMatchObject({ name: "sid", attributes: { secure: false } });
    expect(cookieFor(options, true)).toMatchObject({ name: "__Host-sid", attributes: { secure: true, path: "/" } });
    expect(cookieFor(resolveOptions({ cookieName: "sid", hostPrefix: false }), true).name).toBe("sid");
  });

  it("fail on first use, not at import, when no vault is configured", () => {
    const store = new NextSessionStore(resolveOptions({}));
    const saved = { url: process.env.SESSIONVAULT_URL, token: process.env.SESSIONVAULT_TOKEN };
    delete process.env.SESSIONVAULT_URL;
    delete process.env.SESSIONVAULT_TOKEN;
    try {
      expect(() => store.engine).toThrow(/SESSIONVAULT_URL/);
    } finally {
      if (saved.url) process.env.SESSIONVAULT_URL = saved.url;
      if (saved.token) process.env.SESSIONVAULT_TOKEN = saved.token;
    }
  });
});

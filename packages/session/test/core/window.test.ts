import { describe, expect, it } from "vitest";
import { cookieWindow, expiresAt, slidingMs, toFinalTime, toSlidingTime, ttlSeconds } from "../../src/index.js";

const now = Date.parse("2030-01-01T00:00:00Z");

describe("windows from cookies", () => {
  it("turns milliseconds into whole vault seconds, never shorter than asked", () => {
    expect(toSlidingTime(86_400_000)).toBe("86400s");
    expect(toSlidingTime(1_500)).toBe("2s");
    expect(toSlidingTime(1)).toBe("1s");
    expect(toSlidingTime(10 ** 15)).toBe("999999999s");
    expect(toFinalTime(1_700_000_000_001)).toBe(1_700_000_001);
    expect(slidingMs("90s")).toBe(90_000);
  });

  it("slides a maxAge (ms) cookie, and also fixes its end when it does not roll", () => {
    expect(cookieWindow({ maxAgeMs: 3_600_000, ttlSeconds: 1 }, now)).toEqual({
      options: { slidingtime: "3600s" },
      expires: now + 3_600_000,
      sliding: true,
    });
    expect(cookieWindow({ maxAgeMs: 3_600_000, rolling: false, ttlSeconds: 1 }, now)).toEqual({
      options: { slidingtime: "3600s", finaltime: now / 1000 + 3600 },
      expires: now + 3_600_000,
      sliding: false,
    });
  });

  it("gives an expires cookie (Date, ISO string, epoch ms) an absolute end", () => {
    for (const expires of [new Date(now + 60_000), new Date(now + 60_000).toISOString(), now + 60_000]) {
      expect(cookieWindow({ expires, ttlSeconds: 1 }, now)).toEqual({
        options: { finaltime: now / 1000 + 60 },
        expires: now + 60_000,
        sliding: false,
      });
    }
    expect(expiresAt("not a date")).toBeUndefined();
  });

  it("falls back to a sliding ttl for a browser-session cookie", () => {
    expect(cookieWindow({ expires: null, ttlSeconds: 600 }, now)?.options).toEqual({ slidingtime: "600s" });
    expect(() => cookieWindow({ ttlSeconds: 0 }, now)).toThrow(TypeError);
  });

  it("caps a sliding window by absoluteSeconds from the first write, and keeps it sliding", () => {
    expect(cookieWindow({ ttlSeconds: 600, absoluteSeconds: 3600 }, now)).toEqual({
      options: { slidingtime: "600s", finaltime: "3600s" },
      expires: now + 600_000,
      sliding: true,
    });
    expect(cookieWindow({ maxAgeMs: 60_000, absoluteSeconds: 7200, ttlSeconds: 1 }, now)?.options).toEqual({
      slidingtime: "60s",
      finaltime: "7200s",
    });
    // A fixed end of the cookie's own stays the only end.
    expect(cookieWindow({ expires: now + 60_000, absoluteSeconds: 7200, ttlSeconds: 1 }, now)?.options).toEqual({
      finaltime: now / 1000 + 60,
    });
    expect(() => cookieWindow({ ttlSeconds: 600, absoluteSeconds: 0 }, now)).toThrow(TypeError);
  });

  it("answers null for a cookie that has already expired", () => {
    expect(cookieWindow({ maxAgeMs: 0, ttlSeconds: 1 }, now)).toBeNull();
    expect(cookieWindow({ expires: new Date(now - 1), ttlSeconds: 1 }, now)).toBeNull();
  });

  it("resolves a ttl function per session and refuses a non-positive answer", () => {
    const ttl = (s: { user?: string }) => (s.user ? 3600 : 0);
    expect(ttlSeconds(ttl, { user: "ada" })).toBe(3600);
    expect(() => ttlSeconds(ttl, {})).toThrow(TypeError);
  });
});

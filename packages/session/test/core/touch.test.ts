import { describe, expect, it } from "vitest";
import { TouchThrottle, windowCovered } from "../../src/index.js";

describe("touch throttling", () => {
  it("skips extensions within touchAfter of the last write, and forgets destroyed ids", () => {
    const throttle = new TouchThrottle(60_000);
    expect(throttle.recent("a", 0)).toBe(false);
    throttle.mark("a", 1_000);
    expect(throttle.recent("a", 60_999)).toBe(true);
    expect(throttle.recent("a", 61_000)).toBe(false);
    throttle.forget("a");
    expect(throttle.recent("a", 2_000)).toBe(false);
  });

  it("never throttles with touchAfter 0", () => {
    const throttle = new TouchThrottle(0);
    throttle.mark("a", 0);
    expect(throttle.recent("a", 0)).toBe(false);
  });

  it("bounds its memory by forgetting the least recently marked ids", () => {
    const throttle = new TouchThrottle(60_000);
    for (let i = 0; i <= 10_000; i++) throttle.mark(`id-${i}`, 0);
    expect(throttle.recent("id-0", 1)).toBe(false);
    expect(throttle.recent("id-10000", 1)).toBe(true);
  });

  it("counts a window the read already slid as covered, within the vault's slide lag", () => {
    const window = { options: { slidingtime: "3600s" }, expires: 10_000_000, sliding: true };
    expect(windowCovered(10_000_000 - 30_000, window)).toBe(true); // 1% of an hour
    expect(windowCovered(10_000_000 - 40_000, window)).toBe(false);
    expect(windowCovered(10_000_000 - 40_000, window, 60_000)).toBe(true);
    expect(windowCovered(null, window)).toBe(false);
    const fixed = { options: { finaltime: 10_000 }, expires: 10_000_000, sliding: false };
    expect(windowCovered(10_000_000 - 3_000, fixed)).toBe(false);
  });
});

import { describe, expect, it } from "vitest";
import { parseDuration, parseFinalTime } from "../../src/core/windows.js";

const NOW = Date.UTC(2030, 0, 1);

describe("time windows read as Databunker reads them", () => {
  it("accepts 1y as 365 days", () => {
    expect(parseDuration("1y", "slidingtime")).toBe(365 * 86_400_000);
    expect(parseFinalTime("2y", NOW, NOW)).toBe(NOW + 2 * 365 * 86_400_000);
  });

  it("reads a bare number later than now as a unix time in seconds", () => {
    const later = NOW / 1000 + 3600;
    expect(parseFinalTime(later, NOW, NOW)).toBe(later * 1000);
    expect(parseFinalTime(String(later), NOW, NOW)).toBe(later * 1000);
  });

  it("reads a bare number not later than now as seconds from the first write (finaltime 3600 is an hour, not 1970)", () => {
    expect(parseFinalTime(3600, NOW, NOW)).toBe(NOW + 3_600_000);
    expect(parseFinalTime("3600", NOW, NOW)).toBe(NOW + 3_600_000);
    // Counted from the record's first write, like a duration, even when that was earlier.
    expect(parseFinalTime(60, NOW - 10_000, NOW)).toBe(NOW - 10_000 + 60_000);
  });

  it("still refuses what is neither", () => {
    expect(() => parseFinalTime("soon", NOW, NOW)).toThrow(/finaltime: must be a duration/);
    expect(() => parseDuration("1w", "slidingtime")).toThrow(/1y/);
  });
});

// The detector, measured: fast-check generates realistic variants of emails, phone numbers
// and card numbers, and realistic identifiers that are not PII, and this test prints the
// recall and false-positive rate per class. PII_RATES_RUNS scales the sample sizes
// (default 1); PII_RATES_SEED replays a run.
import { describe, expect, it } from "vitest";
import { findPII } from "../../src/detect/index.js";
import { formatRates, measureRates, totals } from "./rates.js";

const scale = Number(process.env.PII_RATES_RUNS ?? 1);
const seed = Number(process.env.PII_RATES_SEED ?? Date.now() % 2 ** 31);

describe("the detector's measured rates", () => {
  const rates = measureRates(findPII, {
    seed,
    recallRuns: Math.round(300 * scale),
    negativeRuns: Math.round(1500 * scale),
  });
  process.stdout.write(formatRates(rates));

  it("finds at least 99% of realistic PII variants, and at least 97% of each class", () => {
    expect(totals(rates.recall)).toBeGreaterThanOrEqual(0.99);
    for (const row of rates.recall) expect({ [row.name]: row.hits / row.total >= 0.97 }).toEqual({ [row.name]: true });
  });

  it("flags at most 0.1% of UUIDs, ULIDs, timestamps, order numbers, hashes and git remotes, per class", () => {
    expect(totals(rates.falsePositives)).toBeLessThanOrEqual(0.001);
    for (const row of rates.falsePositives) {
      expect({ [row.name]: row.hits / row.total <= 0.001 }).toEqual({ [row.name]: true });
    }
  });
});

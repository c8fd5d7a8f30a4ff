import fc from "fast-check";
import type { PIIFinding } from "../../src/detect/index.js";
import { falsePositiveClasses, recallClasses, type Sample, tradeOffClasses } from "./measurement.js";

export interface Rate {
  name: string;
  hits: number;
  total: number;
}

export interface Rates {
  seed: number;
  recall: Rate[];
  falsePositives: Rate[];
  tradeOffs: Rate[];
}

type Detector = (data: unknown) => PIIFinding[];

function count(find: Detector, samples: Sample[], hit: (findings: PIIFinding[], sample: Sample) => boolean): number {
  let hits = 0;
  for (const sample of samples) if (hit(find(sample.data), sample)) hits++;
  return hits;
}

/**
 * Samples every class with fast-check and counts, per class, the samples where the
 * detector reports the expected finding (recall) or any finding at all (false positives).
 */
export function measureRates(
  find: Detector,
  options: { seed: number; recallRuns: number; negativeRuns: number },
): Rates {
  const { seed, recallRuns, negativeRuns } = options;
  const recall = recallClasses.map(([name, arbitrary], i) => {
    const samples = fc.sample(arbitrary, { numRuns: recallRuns, seed: seed + i });
    const hits = count(find, samples, (findings, { expected }) =>
      findings.some((f) => f.path === expected?.path && f.kind === expected.kind),
    );
    return { name, hits, total: samples.length };
  });
  const falsePositives = falsePositiveClasses.map(([name, arbitrary], i) => {
    const samples = fc.sample(arbitrary, { numRuns: negativeRuns, seed: seed + 1000 + i });
    return { name, hits: count(find, samples, (findings) => findings.length > 0), total: samples.length };
  });
  const tradeOffs = tradeOffClasses.map(([name, arbitrary], i) => {
    const samples = fc.sample(arbitrary, { numRuns: recallRuns, seed: seed + 2000 + i });
    return { name, hits: count(find, samples, (findings) => findings.length > 0), total: samples.length };
  });
  return { seed, recall, falsePositives, tradeOffs };
}

const percent = (hits: number, total: number) => `${((100 * hits) / total).toFixed(2)}%`;

/** The figures as a table, one row per class and a total per side. */
export function formatRates({ seed, recall, falsePositives, tradeOffs }: Rates): string {
  const width = Math.max(...[...recall, ...falsePositives, ...tradeOffs].map((r) => r.name.length)) + 2;
  const line = (r: Rate) =>
    `  ${r.name.padEnd(width)}${`${r.hits}/${r.total}`.padStart(12)}${percent(r.hits, r.total).padStart(10)}`;
  const sum = (rows: Rate[]) =>
    rows.reduce((a, r) => ({ name: "all", hits: a.hits + r.hits, total: a.total + r.total }), {
      name: "all",
      hits: 0,
      total: 0,
    });
  return [
    `PII detector rates (fast-check seed ${seed})`,
    "recall (found / generated):",
    ...recall.map(line),
    line({ ...sum(recall), name: "recall, all realistic variants" }),
    "false positives (flagged / generated):",
    ...falsePositives.map(line),
    line({ ...sum(falsePositives), name: "false positives, all" }),
    "trade-offs of reading bare digits by their key or label (not asserted):",
    ...tradeOffs.map(line),
    "",
  ].join("\n");
}

export const totals = (rows: Rate[]) => {
  const hits = rows.reduce((a, r) => a + r.hits, 0);
  const total = rows.reduce((a, r) => a + r.total, 0);
  return hits / total;
};

// Micro-benchmark of the PII detector on session-shaped payloads. The baseline is
// JSON.stringify of the same payload, which every store pays on every save anyway; the
// ratio says what strict mode adds on top. Run after `build`: `node bench/find-pii.mjs`.
// Rounds are interleaved and the median is kept, so a busy machine skews both sides alike.
// `FIND_PII_COMPARE=path/to/detect.js` also measures another build (an earlier version)
// in the same run and prints the ratio between the two.
import { randomUUID } from "node:crypto";
import { pathToFileURL } from "node:url";
import { findPII } from "../dist/detect.js";

const compareWith = process.env.FIND_PII_COMPARE;
const other = compareWith ? (await import(pathToFileURL(compareWith).href)).findPII : undefined;
const ROUNDS = 7;

const payloads = {
  "small session (5 keys)": {
    usertoken: randomUUID(),
    role: "admin",
    visits: 42,
    csrf: "Yk3v9Qd2N1x8ZpL0aB7cR4tW",
    lastSeen: new Date().toISOString(),
  },
  "cart (50 items)": {
    usertoken: randomUUID(),
    cart: Array.from({ length: 50 }, (_, i) => ({
      sku: `SKU-${1000 + i}`,
      qty: (i % 3) + 1,
      price: 1999 + i,
      note: `gift wrap ${i % 2 ? "yes" : "no"}, deliver after 2024-05-${String((i % 28) + 1).padStart(2, "0")}`,
    })),
  },
  "flash messages (20 sentences)": {
    flash: Array.from(
      { length: 20 },
      (_, i) => `Order #${48213 + i} shipped on 2024-06-0${(i % 9) + 1} in 2 boxes; version 3.${i}.1 of the app.`,
    ),
  },
  "non-ASCII messages (20)": {
    flash: Array.from(
      { length: 20 },
      (_, i) => `Commande n° ${48213 + i} expédiée le ${(i % 28) + 1} juin — 注文は発送されました (${i} 件)`,
    ),
  },
  "URL-encoded state (10)": {
    returnTo: Array.from(
      { length: 10 },
      (_, i) => `/search?q=caf%C3%A9+au+lait&page=${i}&sort=price%20asc&ref=${randomUUID()}`,
    ),
  },
};

function measure(fn, minMs = 300) {
  let iterations = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < minMs) {
    for (let i = 0; i < 100; i++) fn();
    iterations += 100;
    elapsed = performance.now() - start;
  }
  return (elapsed * 1000) / iterations; // µs per call
}

const row = (...cells) => process.stdout.write(`${cells.join(" ")}\n`);
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const header = ["payload".padEnd(32), "JSON.stringify µs".padStart(18), "findPII µs".padStart(12), "ratio".padStart(8)];
if (other) header.push("other findPII µs".padStart(17), "this/other".padStart(11));
row(...header);
for (const [name, payload] of Object.entries(payloads)) {
  if (findPII(payload).length !== 0) throw new Error(`benchmark payload ${name} must be PII-free`);
  measure(() => JSON.stringify(payload), 100);
  measure(() => findPII(payload), 100);
  if (other) measure(() => other(payload), 100);
  const baseline = [];
  const detector = [];
  const previous = [];
  for (let round = 0; round < ROUNDS; round++) {
    baseline.push(measure(() => JSON.stringify(payload), 100));
    detector.push(measure(() => findPII(payload), 100));
    if (other) previous.push(measure(() => other(payload), 100));
  }
  const b = median(baseline);
  const d = median(detector);
  const cells = [
    name.padEnd(32),
    b.toFixed(2).padStart(18),
    d.toFixed(2).padStart(12),
    `${(d / b).toFixed(1)}x`.padStart(8),
  ];
  if (other) {
    const p = median(previous);
    cells.push(p.toFixed(2).padStart(17), `${(d / p).toFixed(2)}x`.padStart(11));
  }
  row(...cells);
}

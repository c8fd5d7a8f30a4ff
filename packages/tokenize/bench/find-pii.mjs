// Micro-benchmark of the PII detector on session-shaped payloads. The baseline is
// JSON.stringify of the same payload, which every store pays on every save anyway; the
// ratio says what strict mode adds on top. Run after `build`: `node bench/find-pii.mjs`.
import { randomUUID } from "node:crypto";
import { findPII } from "../dist/detect.js";

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

row("payload".padEnd(32), "JSON.stringify µs".padStart(18), "findPII µs".padStart(12), "ratio".padStart(8));
for (const [name, payload] of Object.entries(payloads)) {
  if (findPII(payload).length !== 0) throw new Error(`benchmark payload ${name} must be PII-free`);
  measure(() => JSON.stringify(payload), 100);
  measure(() => findPII(payload), 100);
  const baseline = measure(() => JSON.stringify(payload));
  const detector = measure(() => findPII(payload));
  row(
    name.padEnd(32),
    baseline.toFixed(2).padStart(18),
    detector.toFixed(2).padStart(12),
    `${(detector / baseline).toFixed(1)}x`.padStart(8),
  );
}

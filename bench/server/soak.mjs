// The fault soak, long: mixed operations (SessionUpsert/Get/Delete, UserCreate/Get/Update,
// TokenCreate/Get) from several clients over HTTP against two `sessionvault start`
// processes, while the storage is restarted (PostgreSQL, Redis; on SQLite the process
// holding the file is killed) and one instance is killed with SIGKILL and started again,
// alternately, every --fault-every seconds. Afterwards every key is read back through a
// fresh instance. The same run, 34 s per driver, is packages/server/test/soak/soak.test.ts.
//
//   node bench/server/soak.mjs [--duration 10m] [--drivers sqlite,postgres,redis]
//                              [--clients 6] [--fault-every 15s] [--warmup 60s]
//
// Needs the workspace built (`node scripts/sv.mjs exec turbo run build --filter=@sessionvault/testkit...`),
// postgres/initdb and redis-server on PATH. Exits 1 when a bound is missed: an
// acknowledged write lost, a 5xx or network error outside a fault window (fault start
// until the server answers again + 2 s), RSS of the instance that is never killed
// growing by 40 MB or more after warm-up, or a p99 (per 1 s bucket) not back at <= 2x the
// pre-fault baseline within 5 s of the server answering again.
import { parseArgs } from "node:util";
import { runSoak } from "@sessionvault/testkit";

const { values: flags } = parseArgs({
  options: {
    duration: { type: "string", default: "10m" },
    drivers: { type: "string", default: "sqlite,postgres,redis" },
    clients: { type: "string", default: "6" },
    "fault-every": { type: "string", default: "15s" },
    warmup: { type: "string", default: "60s" },
  },
});

/** "600", "600s", "10m" -> milliseconds. */
function ms(text) {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text.trim());
  if (!m) throw new Error(`not a duration: ${text} (use e.g. 90s or 10m)`);
  const n = Number(m[1]);
  return m[2] === "ms" ? n : m[2] === "m" ? n * 60_000 : n * 1000;
}

const drivers = flags.drivers.split(",").filter(Boolean);
let failed = false;
for (const driver of drivers) {
  if (!["sqlite", "postgres", "redis"].includes(driver)) throw new Error(`unknown driver ${driver}`);
  const started = Date.now();
  const result = await runSoak({
    driver,
    durationMs: ms(flags.duration),
    clients: Number(flags.clients),
    faultEveryMs: ms(flags["fault-every"]),
    warmupMs: ms(flags.warmup),
    baselineMs: 10_000,
    log: (line) => console.log(line),
  });
  console.log(result.line);
  console.log(
    `soak driver=${driver} faults=${result.faults.length} recovery_max=${Math.max(...result.faults.map((f) => f.recoveryS)).toFixed(1)}s wall=${((Date.now() - started) / 1000).toFixed(0)}s`,
  );
  console.log(
    `soak driver=${driver} rss ${result.rssTimeline.map((r) => `${r.atS}s:${(r.bytes / 1024 / 1024).toFixed(0)}MB`).join(" ")}`,
  );
  console.log(`soak driver=${driver} p99 per second (ms): ${result.p99Timeline.map((v) => v.toFixed(0)).join(" ")}`);
  for (const failure of result.failures) console.log(`soak driver=${driver} FAILED: ${failure}`);
  if (result.failures.length) failed = true;
}
process.exitCode = failed ? 1 : 0;

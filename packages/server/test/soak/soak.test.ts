import { runSoak } from "@sessionvault/test-services";
import { describe, expect, it } from "vitest";

// Two `sessionvault start` processes under mixed load from six clients, while the storage
// is restarted and one instance is killed with SIGKILL and started again (see runSoak for
// the schedule and the bounds). The drivers run one after the other so that each has the
// machine's cores to itself: about 40 s each, two minutes in all.
const DRIVERS = ["sqlite", "postgres", "redis"] as const;

describe.each(DRIVERS)("fault soak on %s", (driver) => {
  it("loses no acknowledged write, answers no 5xx outside the fault windows, keeps memory flat and p99 recovers within 5 s", async () => {
    const result = await runSoak({ driver, durationMs: 34_000 });
    console.log(result.line);
    if (result.failures.length) {
      for (const failure of result.failures) console.log(`soak driver=${driver} failed: ${failure}`);
      console.log(
        `soak driver=${driver} p99 per second (ms): ${result.p99Timeline.map((v) => v.toFixed(0)).join(" ")}`,
      );
    }
    expect(result.faults.map((f) => f.kind)).toEqual(["storage", "instance"]);
    expect(result.ackedWrites).toBeGreaterThan(1_000);
    expect(result.lost).toBe(0);
    expect(result.fiveXxOutside).toBe(0);
    expect(result.errorsOutside).toBe(0);
    expect(result.unexpected).toBe(0);
    expect(result.rssEnd - result.rssStart).toBeLessThan(result.rssBound);
    for (const fault of result.faults) expect(fault.recoveryS).toBeLessThanOrEqual(5);
    expect(result.failures).toEqual([]);
  }, 90_000);
});

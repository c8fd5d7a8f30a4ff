import { describe, expect, it } from "vitest";
import { KeyedLock } from "../../src/core/keyed-lock.js";

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("KeyedLock", () => {
  it("runs tasks on one key one at a time, in arrival order", async () => {
    const lock = new KeyedLock();
    const log: string[] = [];
    let running = 0;
    let most = 0;
    const task = (label: string) => async () => {
      running++;
      most = Math.max(most, running);
      log.push(`start ${label}`);
      await tick();
      log.push(`end ${label}`);
      running--;
      return label;
    };
    const results = await Promise.all(["a", "b", "c"].map((label) => lock.run("k", task(label))));
    expect(results).toEqual(["a", "b", "c"]);
    expect(most).toBe(1);
    expect(log).toEqual(["start a", "end a", "start b", "end b", "start c", "end c"]);
    expect(lock.size).toBe(0);
  });

  it("runs tasks on different keys concurrently", async () => {
    const lock = new KeyedLock();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const first = lock.run("one", () => gate.then(() => "one"));
    // Would never settle if "two" waited for "one".
    await expect(lock.run("two", async () => "two")).resolves.toBe("two");
    expect(lock.size).toBe(1);
    release();
    await expect(first).resolves.toBe("one");
    expect(lock.size).toBe(0);
  });

  it("a failing task rejects its caller only and lets the next one run", async () => {
    const lock = new KeyedLock();
    const failing = lock.run("k", async () => {
      throw new Error("boom");
    });
    const next = lock.run("k", async () => "next");
    await expect(failing).rejects.toThrow("boom");
    await expect(next).resolves.toBe("next");
    expect(lock.size).toBe(0);
  });
});

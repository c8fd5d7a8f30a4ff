import { afterEach, describe, expect, it, vi } from "vitest";
import { VaultUnavailableError } from "../../src/index.js";
import { backoffDelay, DEFAULT_RETRY, retryAfterDelay, sleep } from "../../src/retry.js";
import { anyStatus, mockClient, operation, SESSION_ID, sessionReply, useMockVault, vaultError } from "../helpers.js";

const server = useMockVault();
const policy = { retries: 5, minDelayMs: 100, maxDelayMs: 1000 };

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe("backoffDelay (full jitter)", () => {
  it("draws uniformly from [0, min(max, min * 2^attempt))", () => {
    expect([0, 1, 2, 3, 4, 5].map((attempt) => backoffDelay(attempt, policy, () => 0.999999))).toEqual([
      99, 199, 399, 799, 999, 999,
    ]);
    expect([0, 1, 2, 3].map((attempt) => backoffDelay(attempt, policy, () => 0))).toEqual([0, 0, 0, 0]);
    expect(backoffDelay(2, policy, () => 0.5)).toBe(200);
  });

  it("uses Math.random by default and stays within the ceiling", () => {
    for (let i = 0; i < 200; i++) {
      const delay = backoffDelay(1, policy);
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThan(200);
    }
  });

  it("defaults to 2 retries, waiting up to 50 ms, then up to 100 ms", () => {
    expect(DEFAULT_RETRY).toEqual({ retries: 2, minDelayMs: 50, maxDelayMs: 1000 });
  });
});

describe("retryAfterDelay", () => {
  it("reads delta-seconds and HTTP dates, capped at maxDelayMs", () => {
    expect(retryAfterDelay("0", policy)).toBe(0);
    expect(retryAfterDelay(" 1 ", { ...policy, maxDelayMs: 5000 })).toBe(1000);
    expect(retryAfterDelay("120", policy)).toBe(1000);
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(retryAfterDelay("Thu, 01 Jan 2026 00:00:00 GMT", policy, now - 500)).toBe(500);
    expect(retryAfterDelay("Thu, 01 Jan 2026 00:00:00 GMT", policy, now + 500)).toBe(0);
  });

  it("ignores absent or unreadable headers", () => {
    expect(retryAfterDelay(null, policy)).toBeUndefined();
    expect(retryAfterDelay("soon", policy)).toBeUndefined();
    expect(retryAfterDelay("-1", policy)).toBeUndefined();
  });
});

/** Lets real I/O (the mock network) run until `done()` holds; fake timers do not move. */
async function until(done: () => boolean) {
  for (let i = 0; i < 10_000 && !done(); i++) await new Promise((resolve) => setImmediate(resolve));
  expect(done()).toBe(true);
}

/** Lets real I/O run for a while, to show that nothing happens without the clock moving. */
async function settle() {
  for (let i = 0; i < 200; i++) await new Promise((resolve) => setImmediate(resolve));
}

describe("waiting between attempts", () => {
  it("waits the jittered backoff before each retry", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    vi.spyOn(Math, "random").mockReturnValue(0.5);
    const op = operation("SessionGet", () => anyStatus(vaultError(503)));
    server.use(op.handler);
    const timers = vi.spyOn(globalThis, "setTimeout");

    const result = mockClient({ retry: { retries: 2, minDelayMs: 100, maxDelayMs: 1000 } })
      .getSession(SESSION_ID)
      .catch((e: unknown) => e);

    for (const [attempt, wait] of [
      [1, 50], // 0.5 * min(1000, 100 * 2^0)
      [2, 100], // 0.5 * min(1000, 100 * 2^1)
    ] as const) {
      await until(() => op.received.length === attempt && timers.mock.calls.some((call) => call[1] === wait));
      await vi.advanceTimersByTimeAsync(wait - 1);
      await settle();
      expect(op.received).toHaveLength(attempt);
      await vi.advanceTimersByTimeAsync(1);
      await until(() => op.received.length === attempt + 1);
    }
    expect(await result).toBeInstanceOf(VaultUnavailableError);
  });

  it("waits what Retry-After asks for instead, up to maxDelayMs", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    vi.spyOn(Math, "random").mockReturnValue(0);
    const op = operation("SessionGet", (_r, attempt) =>
      attempt === 1
        ? anyStatus(vaultError(429, "slow down", { "retry-after": "2" }))
        : Response.json(sessionReply({ after: "wait" })),
    );
    server.use(op.handler);

    const timers = vi.spyOn(globalThis, "setTimeout");
    const result = mockClient({ retry: { retries: 1, minDelayMs: 100, maxDelayMs: 5000 } }).getSession(SESSION_ID);
    await until(() => timers.mock.calls.some((call) => call[1] === 2000));
    await vi.advanceTimersByTimeAsync(1999);
    await settle();
    expect(op.received).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    await until(() => op.received.length === 2);
    await expect(result).resolves.toMatchObject({ data: { after: "wait" } });
  });
});

describe("sleep", () => {
  it("rejects with the signal's reason as soon as it aborts", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const controller = new AbortController();
    const waiting = sleep(10_000, controller.signal);
    const reason = new Error("stop");
    controller.abort(reason);
    await expect(waiting).rejects.toBe(reason);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("rejects at once for an already aborted signal", async () => {
    await expect(sleep(10_000, AbortSignal.abort("gone"))).rejects.toBe("gone");
  });
});

import { Writable } from "node:stream";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Reply } from "../storage/vault-http.js";
import { DRIVERS, driverServices, type VaultGroup } from "./drivers.js";

const services = driverServices();
beforeAll(() => services.start(), 120_000);
afterAll(() => services.stop(), 60_000);

const CLIENTS = 6;
const REFRESH_MS = 6000;
const PAUSE_MS = 10;

type Instance = Awaited<ReturnType<VaultGroup["instance"]>>;

/** Counts the vault's "re-sealed a write" log lines: writes storage refused under a demoted key. */
function resealCounter() {
  let count = 0;
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString("utf8").split("\n")) {
        if (line.includes("re-sealed a write under the new data key")) count++;
      }
      done();
    },
  });
  return { logger: pino({ level: "info" }, stream), count: () => count };
}

/** What a client knows about one record: the value last acknowledged, and any later ones tried and not acknowledged. */
interface Expectation {
  acked: number;
  unacked: number[];
}

/**
 * One client: through both instances in turn, creates sessions and users and rewrites
 * some of them, one write at a time, and remembers the value each write acknowledged.
 * Most writes make a record nobody writes again, so a record stored under a retired key
 * stays unreadable instead of being healed by a later write.
 */
async function client(
  id: number,
  instances: Instance[],
  stop: () => boolean,
  sessions: Map<string, Expectation>,
  users: Map<string, Expectation>,
  tally: { acked: number; failed: number },
): Promise<void> {
  const userTokens: string[] = [];
  for (let step = 1; !stop(); step++) {
    // A steady client, not a flood: the store stays small enough to re-encrypt in seconds.
    await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
    const via = instances[step % instances.length]!;
    let reply: Reply;
    let map: Map<string, Expectation>;
    let name: string | undefined;
    if (step % 4 === 0 && userTokens.length > 0) {
      // Rewrite one of this client's users.
      name = userTokens[step % userTokens.length]!;
      map = users;
      reply = await via.call("UserUpdate", { mode: "token", identity: name, profile: { n: step } });
    } else if (step % 4 === 1) {
      map = users;
      reply = await via.call("UserCreate", { profile: { n: step, client: id } });
      if (reply.status === 200) {
        name = reply.body.token as string;
        userTokens.push(name);
      }
    } else {
      // A new session on most steps; every other one rewrites an earlier session.
      const n = step % 8 === 2 ? Math.max(1, step - 8) : step;
      name = `rot-${id}-${n}-0123456789abcdef`;
      map = sessions;
      reply = await via.call("SessionUpsert", { sessionuuid: name, sessiondata: { n: step } });
    }
    if (reply.status === 200 && name !== undefined) {
      map.set(name, { acked: step, unacked: [] });
      tally.acked++;
    } else {
      tally.failed++;
      const known = name === undefined ? undefined : map.get(name);
      if (known) known.unacked.push(step);
      else if (name !== undefined) map.set(name, { acked: -1, unacked: [step] });
    }
  }
}

/** Reads every record back; counts the unreadable ones and those without their last acknowledged value. */
async function readBack(via: Instance, sessions: Map<string, Expectation>, users: Map<string, Expectation>) {
  let unreadable = 0;
  let lost = 0;
  const check = (reply: Reply, value: unknown, expected: Expectation) => {
    if (reply.status === 500 || reply.status === 404) {
      if (reply.status === 500) unreadable++;
      else if (expected.acked >= 0) lost++;
      return;
    }
    if (value !== expected.acked && !expected.unacked.includes(value as number)) lost++;
  };
  for (const [id, expected] of sessions) {
    const reply = await via.call("SessionGet", { sessionuuid: id });
    check(reply, (reply.body.sessiondata as { n?: number } | undefined)?.n, expected);
  }
  for (const [token, expected] of users) {
    const reply = await via.call("UserGet", { mode: "token", identity: token });
    check(reply, (reply.body.profile as { n?: number } | undefined)?.n, expected);
  }
  return { unreadable, lost };
}

describe.each(DRIVERS)("key rotation while serving on %s", (driver) => {
  it("rotation-under-load-loses-no-acknowledged-write: rotate-key then reencrypt at once, two instances writing, every acknowledged write reads back, also after a restart", async () => {
    const group = services.group(driver);
    try {
      const counters = [resealCounter(), resealCounter()];
      // Serving instances refresh their keys as deployed ones do (every minute by default,
      // here every few seconds): whatever the interval, a write between a rotation and the
      // next refresh must not land under a key that re-encryption retires.
      const started = Date.now();
      const instances = [
        await group.instance({ logger: counters[0]!.logger, keyRefreshMs: REFRESH_MS }),
        await group.instance({ logger: counters[1]!.logger, keyRefreshMs: REFRESH_MS }),
      ];
      const sessions = new Map<string, Expectation>();
      const users = new Map<string, Expectation>();
      const tally = { acked: 0, failed: 0 };
      // Records nobody writes again: only re-encryption moves them off the old keys.
      for (let i = 0; i < 30; i++) {
        const id = `rot-idle-${i}-0123456789abcdef`;
        expect((await instances[i % 2]!.call("SessionUpsert", { sessionuuid: id, sessiondata: { n: i } })).status).toBe(
          200,
        );
        sessions.set(id, { acked: i, unacked: [] });
        tally.acked++;
      }
      let stopping = false;
      const clients = Array.from({ length: CLIENTS }, (_, i) =>
        client(i, instances, () => stopping, sessions, users, tally),
      );
      await new Promise((resolve) => setTimeout(resolve, 400));

      // As `sessionvault rotate-key` and then `sessionvault reencrypt` do: each its own short-lived instance.
      const admin = async () => (await group.instance({ logger: pino({ level: "silent" }) })).vault;
      const rotatedAt = Date.now();
      const rotator = await admin();
      await rotator.rotateKey();
      await rotator.close();
      const reencryptor = await admin();
      const result = await reencryptor.reencrypt();
      await reencryptor.close();
      // Writing on until past the instances' first key refresh, which loads the new key states
      // (with the key retired under them, before this was fixed).
      const window = Date.now() - rotatedAt;
      await new Promise((resolve) => setTimeout(resolve, Math.max(500, started + REFRESH_MS + 600 - Date.now())));
      stopping = true;
      await Promise.all(clients);

      const live = await readBack(instances[1]!, sessions, users);
      await group.close();
      const restarted = [await group.instance(), await group.instance()];
      const afterRestart = await readBack(restarted[0]!, sessions, users);
      const again = await readBack(restarted[1]!, sessions, users);
      const resealed = counters[0]!.count() + counters[1]!.count();
      console.log(
        `${driver}: acked writes ${tally.acked}, failed writes ${tally.failed}, unreadable after rotate+reencrypt ${live.unreadable} (after restart ${afterRestart.unreadable}/${again.unreadable}), lost ${live.lost}/${afterRestart.lost}, refused-and-resealed ${resealed}, re-encrypted ${result.reencrypted}, retired ${result.retired.length}, rotate-key to reencrypt done in ${window} ms`,
      );
      expect(tally.acked).toBeGreaterThan(100);
      expect(result.retired.length).toBeGreaterThan(0);
      expect(result.reencrypted).toBeGreaterThanOrEqual(30);
      expect(live).toEqual({ unreadable: 0, lost: 0 });
      expect(afterRestart).toEqual({ unreadable: 0, lost: 0 });
      expect(again).toEqual({ unreadable: 0, lost: 0 });
      expect(tally.failed).toBe(0);
    } finally {
      await group.close();
    }
  }, 120_000);
});

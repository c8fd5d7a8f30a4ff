import {
  type RunningVault,
  type ServiceHandle,
  startPostgres,
  startRedis,
  startVault,
} from "@sessionvault/test-services";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, sessionId, sharedVaultEnv } from "../storage/vault-http.js";

// Two vault processes on one PostgreSQL (and, separately, one Redis) behave as one vault:
// whatever one instance writes, extends or revokes, the other sees on its very next call.
describe.each([
  { driver: "postgres" as const, start: startPostgres, urlVar: "SESSIONVAULT_DATABASE_URL" },
  { driver: "redis" as const, start: startRedis, urlVar: "SESSIONVAULT_REDIS_URL" },
])("two vault instances sharing one $driver", ({ driver, start, urlVar }) => {
  let service: ServiceHandle;
  let a: RunningVault;
  let b: RunningVault;
  let token: string;

  beforeAll(async () => {
    service = await start();
    const env = sharedVaultEnv({ [urlVar]: service.url });
    // One after the other: the first creates the data key, the second loads it.
    a = await startVault({ driver, env });
    b = await startVault({ driver, env });
    token = a.token;
    expect(b.token).toBe(token);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([a?.destroy(), b?.destroy()]);
    await service?.stop();
  }, 60_000);

  it("a session written through one is read, extended, listed and deleted through the other", async () => {
    const user = await call(a.url, token, "UserCreate", { profile: { email: `scale-${driver}@example.com` } });
    expect(user.status).toBe(200);
    const usertoken = user.body.token as string;
    const id = sessionId();
    const data = { cart: [1, 2, 3], role: "member" };

    expect(
      (await call(a.url, token, "SessionUpsert", { sessionuuid: id, sessiondata: data, slidingtime: "1h", usertoken }))
        .status,
    ).toBe(200);
    const read = await call(b.url, token, "SessionGet", { sessionuuid: id });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ sessiondata: data, version: 1, usertoken });

    const touched = await call(b.url, token, "SessionTouch", { sessionuuid: id, slidingtime: "7d" });
    expect(touched.status).toBe(200);
    const extended = touched.body.expires as number;
    expect(extended).toBeGreaterThan(Date.now() + 6 * 86_400_000);
    expect((await call(a.url, token, "SessionGet", { sessionuuid: id })).body.expires).toBeGreaterThanOrEqual(extended);

    const listed = await call(a.url, token, "SessionListUserSessions", {
      mode: "email",
      identity: `scale-${driver}@example.com`,
    });
    expect(listed.status).toBe(200);
    expect((listed.body.rows as { sessionuuid: string }[]).map((r) => r.sessionuuid)).toEqual([id]);

    expect((await call(b.url, token, "SessionDelete", { sessionuuid: id })).status).toBe(200);
    expect((await call(a.url, token, "SessionGet", { sessionuuid: id })).status).toBe(404);
    expect((await call(b.url, token, "UserGet", { mode: "token", identity: usertoken })).body.profile).toEqual({
      email: `scale-${driver}@example.com`,
    });
  });

  it("never serves a stale read after a delete or a rewrite on the other instance", async () => {
    for (let round = 0; round < 15; round++) {
      const id = sessionId("stale");
      const [writer, other] = round % 2 ? [a, b] : [b, a];
      expect((await call(writer.url, token, "SessionUpsert", { sessionuuid: id, sessiondata: { round } })).status).toBe(
        200,
      );
      expect((await call(other.url, token, "SessionGet", { sessionuuid: id })).body.sessiondata).toEqual({ round });
      expect(
        (await call(other.url, token, "SessionUpsert", { sessionuuid: id, sessiondata: { round, again: true } }))
          .status,
      ).toBe(200);
      expect((await call(writer.url, token, "SessionGet", { sessionuuid: id })).body.sessiondata).toEqual({
        round,
        again: true,
      });
      expect((await call(writer.url, token, "SessionDelete", { sessionuuid: id })).status).toBe(200);
      expect((await call(other.url, token, "SessionGet", { sessionuuid: id })).status).toBe(404);
    }
  });

  it("compare-and-set holds across instances: one of two racing writers wins", async () => {
    const id = sessionId("cas");
    await call(a.url, token, "SessionUpsert", { sessionuuid: id, sessiondata: { n: 0 } });
    const racers = await Promise.all(
      [a, b, a, b].map((v, i) =>
        call(v.url, token, "SessionUpsert", { sessionuuid: id, sessiondata: { n: i }, expectversion: 1 }),
      ),
    );
    expect(racers.map((r) => r.status).sort()).toEqual([200, 409, 409, 409]);
    const winner = racers.findIndex((r) => r.status === 200);
    expect((await call(b.url, token, "SessionGet", { sessionuuid: id })).body).toMatchObject({
      sessiondata: { n: winner },
      version: 2,
    });
  });

  it("64 concurrent unversioned patches through both instances all succeed and every key survives", async () => {
    const id = sessionId("contended");
    const replies = await Promise.all(
      Array.from({ length: 64 }, (_, i) =>
        call((i % 2 ? a : b).url, token, "SessionPatch", { sessionuuid: id, set: { [`k${i}`]: i }, create: true }),
      ),
    );
    expect(replies.map((r) => r.status)).toEqual(Array(64).fill(200));
    const read = await call(a.url, token, "SessionGet", { sessionuuid: id });
    expect(read.body.version).toBe(64);
    expect(read.body.sessiondata).toEqual(Object.fromEntries(Array.from({ length: 64 }, (_, i) => [`k${i}`, i])));
  });

  it("revoking a user's sessions on one instance is seen at once on the other", async () => {
    const email = `revoke-${driver}@example.com`;
    const usertoken = (await call(b.url, token, "UserCreate", { profile: { email } })).body.token as string;
    const ids = [sessionId("r0"), sessionId("r1"), sessionId("r2")];
    for (const [i, id] of ids.entries()) {
      const via = i % 2 ? a : b;
      expect(
        (await call(via.url, token, "SessionUpsert", { sessionuuid: id, sessiondata: { i }, usertoken })).status,
      ).toBe(200);
    }
    const revoked = await call(a.url, token, "SessionRevokeUser", { mode: "email", identity: email, keep: [ids[1]] });
    expect(revoked.status).toBe(200);
    expect(revoked.body.deleted).toBe(2);
    expect((await call(b.url, token, "SessionGet", { sessionuuid: ids[0] })).status).toBe(404);
    expect((await call(b.url, token, "SessionGet", { sessionuuid: ids[2] })).status).toBe(404);
    expect((await call(b.url, token, "SessionGet", { sessionuuid: ids[1] })).status).toBe(200);
    const listed = await call(b.url, token, "SessionListUserSessions", { mode: "email", identity: email });
    expect((listed.body.rows as { sessionuuid: string }[]).map((r) => r.sessionuuid)).toEqual([ids[1]]);
  });
});

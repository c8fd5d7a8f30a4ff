import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sessionId } from "../storage/vault-http.js";
import { DRIVERS, driverServices } from "./drivers.js";

const services = driverServices();
beforeAll(() => services.start(), 120_000);
afterAll(() => services.stop(), 60_000);

describe.each(DRIVERS)("erasure on %s", (driver) => {
  it("UserDelete ends every session linked to the user, and none of anyone else's", async () => {
    const group = services.group(driver);
    try {
      const { call } = await group.instance();
      const email = `erase-${driver}@example.com`;
      const user = (await call("UserCreate", { profile: { email } })).body.token as string;
      const other = (await call("UserCreate", { profile: { email: `keep-${driver}@example.com` } })).body
        .token as string;
      const linked = [sessionId("mine"), sessionId("mine"), sessionId("mine")];
      for (const id of linked) {
        expect((await call("SessionUpsert", { sessionuuid: id, sessiondata: { n: 1 }, usertoken: user })).status).toBe(
          200,
        );
      }
      const theirs = sessionId("theirs");
      await call("SessionUpsert", { sessionuuid: theirs, sessiondata: { n: 2 }, usertoken: other });

      expect((await call("UserDelete", { mode: "email", identity: email })).status).toBe(200);

      for (const id of linked) expect((await call("SessionGet", { sessionuuid: id })).status).toBe(404);
      const listed = await call("SessionListUserSessions", { mode: "token", identity: user });
      expect(listed.status).toBe(200);
      expect(listed.body).toMatchObject({ rows: [], total: 0 });
      expect((await call("SessionGet", { sessionuuid: theirs })).status).toBe(200);
    } finally {
      await group.close();
    }
  });
});

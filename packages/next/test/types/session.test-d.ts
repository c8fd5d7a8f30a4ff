import type { VaultClient, VaultSessionRow } from "@sessionvault/client";
import type { MutableSession, ReadonlySession, SessionVault } from "@sessionvault/next";
import { createSessionVault } from "@sessionvault/next";
import { createSessionMiddleware } from "@sessionvault/next/middleware";
import { describe, expectTypeOf, it } from "vitest";

interface AppSession {
  visits: number;
  role: "admin" | "member";
}

describe("session types", () => {
  it("type the data by the generic declared once", () => {
    const sessions = createSessionVault<AppSession>({ baseUrl: "http://127.0.0.1:1", token: "t" });
    expectTypeOf(sessions).toEqualTypeOf<SessionVault<AppSession>>();
    expectTypeOf(sessions.getSession).returns.resolves.toEqualTypeOf<ReadonlySession<AppSession>>();
    expectTypeOf<ReadonlySession<AppSession>["data"]>().toEqualTypeOf<Readonly<AppSession> | null>();
    expectTypeOf<MutableSession<AppSession>["save"]>().parameter(0).toEqualTypeOf<AppSession>();
    expectTypeOf(sessions.listSessions).returns.resolves.toEqualTypeOf<{
      rows: VaultSessionRow<AppSession>[];
      total: number;
    }>();
    expectTypeOf(sessions.userToken).returns.resolves.toEqualTypeOf<string | null>();
  });

  it("make writes on a Server Component's session a type error", async () => {
    const sessions = createSessionVault<AppSession>({ baseUrl: "http://127.0.0.1:1", token: "t" });
    const session = await sessions.getSession();
    // @ts-expect-error: getSession() is read-only
    await session.save({ visits: 1, role: "admin" });
    // @ts-expect-error: getSession() is read-only
    await session.destroy();
    // @ts-expect-error: getSession() is read-only
    await session.regenerate();
    // @ts-expect-error: getSession() is read-only
    await session.signIn("token");
    // @ts-expect-error: data is readonly
    session.data!.visits = 2;
  });

  it("reject data of the wrong shape", async () => {
    const sessions = createSessionVault<AppSession>({ baseUrl: "http://127.0.0.1:1", token: "t" });
    const session = await sessions.getMutableSession();
    // @ts-expect-error: role must be "admin" | "member"
    await session.save({ visits: 1, role: "owner" });
    // @ts-expect-error: visits is required
    await session.save({ role: "admin" });
    await session.update({ visits: 2 });
  });

  it("take either a client or a URL and token, not both", () => {
    // @ts-expect-error: client and baseUrl are exclusive
    createSessionMiddleware<AppSession>({ client: {} as VaultClient, baseUrl: "http://127.0.0.1:1" });
  });
});

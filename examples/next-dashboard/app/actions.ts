"use server";

import { tokenizeProfile } from "@sessionvault/tokenize";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { approximateNetwork, summarizeUserAgent } from "../lib/device";
import { sessionIdForHandle } from "../lib/devices";
import { sessions, vaultClient } from "../lib/session";
import { DEMO_USERS, isDemoUserId } from "../lib/users";

/** Sign in as a demo user: the profile goes to the vault, the session gets its token. */
export async function signIn(form: FormData): Promise<void> {
  const id = form.get("user");
  if (!isDemoUserId(id)) redirect("/?error=unknown-user");
  const { role, ...profile } = DEMO_USERS[id];
  // "reuse": signing in twice as Ada finds the Ada already in the vault.
  const userToken = await tokenizeProfile(vaultClient(), profile, { onConflict: "reuse" });
  const session = await sessions.getMutableSession();
  // A new id at every sign-in; the anonymous one (if any) is deleted in the vault.
  await session.regenerate();
  const request = await headers();
  await session.save(
    {
      role,
      device: {
        summary: summarizeUserAgent(request.get("user-agent")),
        network: approximateNetwork(request.get("x-forwarded-for")),
        created: Date.now(),
      },
      visits: 0,
    },
    { userToken },
  );
  redirect("/dashboard");
}

/** Sign out this device. */
export async function signOut(): Promise<void> {
  const session = await sessions.getMutableSession();
  await session.destroy();
  redirect("/");
}

/** Sign out one of the user's devices, named by its opaque handle. */
export async function signOutDevice(form: FormData): Promise<void> {
  const session = await sessions.getMutableSession();
  if (!session.userToken) redirect("/");
  const handle = form.get("handle");
  const target = typeof handle === "string" ? await sessionIdForHandle(session.userToken, handle) : null;
  if (target === null) redirect("/sessions?notice=gone");
  if (target === session.id) {
    await session.destroy();
    redirect("/");
  }
  await vaultClient().deleteSession(target);
  redirect("/sessions?notice=signed-out");
}

/** Sign out every device of this user except this one. */
export async function signOutOthers(): Promise<void> {
  const session = await sessions.getMutableSession();
  if (!session.userToken) redirect("/");
  const keep = session.id ? [session.id] : [];
  const { deleted } = await sessions.revokeSessions("token", session.userToken, { keep });
  redirect(`/sessions?notice=others&count=${deleted}`);
}

import { resolveProfile } from "@sessionvault/tokenize";
import { redirect } from "next/navigation";
import type { DashboardSession } from "./config";
import { sessions, vaultClient } from "./session";

export interface Viewer {
  userToken: string;
  name: string;
  email: string;
  session: DashboardSession;
  lastUsed: number | null;
}

/** The signed-in user, with the profile read back from the vault for this render only. */
export async function requireViewer(): Promise<Viewer> {
  const session = await sessions.getSession();
  if (!session.data || !session.userToken) redirect("/");
  const profile = await resolveProfile<{ name: string; email: string }>(vaultClient(), session.userToken);
  if (!profile) redirect("/");
  return {
    userToken: session.userToken,
    name: profile.name,
    email: profile.email,
    session: session.data,
    lastUsed: session.lastUsed,
  };
}

import { redirect } from "next/navigation";
import { sessions } from "../lib/session";
import { DEMO_USERS } from "../lib/users";
import { signIn } from "./actions";

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string>> }) {
  const session = await sessions.getSession();
  if (session.data) redirect("/dashboard");
  const signedOutElsewhere = (await searchParams)["signed-out"] === "elsewhere";
  return (
    <main className="signin">
      <section className="signin-card">
        <div className="brand brand-large">
          <span className="logo" aria-hidden="true">
            ◆
          </span>
          sessionvault
        </div>
        {signedOutElsewhere ? (
          <p className="notice" role="status" data-testid="signed-out-notice">
            You were signed out from another device (or your session expired). Sign in again to continue.
          </p>
        ) : null}
        <h1>Sign in</h1>
        <p className="muted">
          Pick a demo user. Their profile is stored encrypted in the vault; your session cookie carries only a random
          id, and the session itself only a user token, a role and this device&apos;s name.
        </p>
        <ul className="users">
          {Object.entries(DEMO_USERS).map(([id, user]) => (
            <li key={id}>
              <form action={signIn}>
                <input type="hidden" name="user" value={id} />
                <button type="submit" className="user-button" data-testid={`sign-in-${id}`}>
                  <span className="avatar avatar-large" aria-hidden="true">
                    {user.name.slice(0, 1)}
                  </span>
                  <span className="user-text">
                    <strong>{user.name}</strong>
                    <span className="muted">{user.email}</span>
                  </span>
                  <span className={`badge badge-${user.role}`}>{user.role}</span>
                </button>
              </form>
            </li>
          ))}
        </ul>
      </section>
    </main>
  );
}

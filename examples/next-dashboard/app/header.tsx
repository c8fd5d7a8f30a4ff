import Link from "next/link";
import { signOut } from "./actions";

export function Header({ name, role, active }: { name: string; role: string; active: "dashboard" | "sessions" }) {
  return (
    <header className="topbar">
      <div className="brand">
        <span className="logo" aria-hidden="true">
          ◆
        </span>
        sessionvault
      </div>
      <nav className="tabs">
        <Link href="/dashboard" className={active === "dashboard" ? "tab active" : "tab"}>
          Dashboard
        </Link>
        <Link href="/sessions" className={active === "sessions" ? "tab active" : "tab"}>
          Your sessions
        </Link>
      </nav>
      <div className="who">
        <span className="avatar" aria-hidden="true">
          {name.slice(0, 1)}
        </span>
        <span className="who-name">{name}</span>
        <span className={`badge badge-${role}`}>{role}</span>
        <form action={signOut}>
          <button type="submit" className="button ghost" data-testid="sign-out">
            Sign out
          </button>
        </form>
      </div>
    </header>
  );
}

import Link from "next/link";
import { timeAgo } from "../../lib/device";
import { requireViewer } from "../../lib/viewer";
import { Header } from "../header";

export default async function DashboardPage() {
  const viewer = await requireViewer();
  const { visits, device, role } = viewer.session;
  return (
    <>
      <Header name={viewer.name} role={role} active="dashboard" />
      <main className="page">
        <h1>Welcome back, {viewer.name.split(" ")[0]}</h1>
        <p className="muted">Signed in as {viewer.email}. The session stores a token for you, never this address.</p>
        <div className="grid">
          <section className="card stat">
            <span className="stat-label">Visits to this page</span>
            <span className="stat-value" data-testid="visits">
              {visits}
            </span>
            <span className="muted">counted in the vault by the proxy on every visit</span>
          </section>
          <section className="card stat">
            <span className="stat-label">This device</span>
            <span className="stat-value stat-text">{device.summary}</span>
            <span className="muted">signed in {timeAgo(device.created)}</span>
          </section>
          <section className="card stat">
            <span className="stat-label">Role</span>
            <span className="stat-value stat-text capitalize">{role}</span>
            <span className="muted">kept in the session, encrypted at rest</span>
          </section>
        </div>
        <section className="card callout">
          <div>
            <h2>Signed in somewhere else?</h2>
            <p className="muted">See every device with a live session and sign any of them out.</p>
          </div>
          <Link href="/sessions" className="button primary">
            Review your sessions
          </Link>
        </section>
      </main>
    </>
  );
}

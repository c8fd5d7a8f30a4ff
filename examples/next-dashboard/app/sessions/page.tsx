import Link from "next/link";
import { timeAgo } from "../../lib/device";
import { listDevices } from "../../lib/devices";
import { requireViewer } from "../../lib/viewer";
import { signOutDevice, signOutOthers } from "../actions";
import { Header } from "../header";

const NOTICES: Record<string, string> = {
  "signed-out": "That device is signed out. Its next request will land on the sign-in page.",
  gone: "That session had already ended.",
};

function DeviceIcon({ mobile }: { mobile: boolean }) {
  return mobile ? (
    <svg
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.8"
      strokeLinecap="round"
      aria-hidden="true"
    >
      <rect x="6" y="2.5" width="12" height="19" rx="2.5" />
      <path d="M11 18.5h2" />
    </svg>
  ) : (
    <svg
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.8"
      strokeLinecap="round"
      aria-hidden="true"
    >
      <rect x="3.5" y="4.5" width="17" height="11.5" rx="1.5" />
      <path d="M1.5 19.5h21" />
    </svg>
  );
}

export default async function SessionsPage({ searchParams }: { searchParams: Promise<Record<string, string>> }) {
  const viewer = await requireViewer();
  const devices = await listDevices(viewer.userToken);
  const { notice, count, confirm } = await searchParams;
  const message =
    notice === "others"
      ? `Signed out ${count ?? 0} other session${count === "1" ? "" : "s"}.`
      : notice
        ? NOTICES[notice]
        : undefined;
  const others = devices.filter((device) => !device.current).length;
  return (
    <>
      <Header name={viewer.name} role={viewer.session.role} active="sessions" />
      <main className="page">
        <div className="page-head">
          <div>
            <h1>Your sessions</h1>
            <p className="muted">
              {devices.length} active session{devices.length === 1 ? "" : "s"} for {viewer.email}
            </p>
          </div>
          {others === 0 ? (
            <button type="button" className="button danger" disabled data-testid="sign-out-others">
              Sign out everywhere else
            </button>
          ) : (
            <Link href="/sessions?confirm=others" className="button danger" data-testid="sign-out-others">
              Sign out everywhere else
            </Link>
          )}
        </div>
        {confirm === "others" && others > 0 ? (
          <div className="confirm" role="alertdialog" aria-labelledby="confirm-title" data-testid="confirm-others">
            <strong id="confirm-title">
              Sign out {others} other session{others === 1 ? "" : "s"}?
            </strong>
            <p className="muted">
              Every device except this one will be signed out and told so on its next page. This cannot be undone.
            </p>
            <div className="confirm-actions">
              <form action={signOutOthers}>
                <button type="submit" className="button danger" data-testid="confirm-sign-out-others">
                  Sign out {others} session{others === 1 ? "" : "s"}
                </button>
              </form>
              <Link href="/sessions" className="button ghost" data-testid="cancel-sign-out-others">
                Cancel
              </Link>
            </div>
          </div>
        ) : null}
        {message ? (
          <p className="notice" role="status">
            {message}
          </p>
        ) : null}
        <ul className="devices" data-testid="devices">
          {devices.map((device) => (
            <li key={device.handle} className={device.current ? "device current" : "device"} data-testid="device">
              <span className="device-icon" aria-hidden="true">
                <DeviceIcon mobile={/iOS|Android/.test(device.summary)} />
              </span>
              <div className="device-text">
                <strong>
                  {device.summary}
                  {device.current ? <span className="badge badge-current">This device</span> : null}
                </strong>
                <span className="muted" data-testid="device-network">
                  {device.network}
                </span>
                <span className="muted">
                  Signed in {new Date(device.created).toISOString().slice(0, 16).replace("T", " ")} UTC (
                  {timeAgo(device.created)}) · last seen {device.current ? "now" : timeAgo(device.lastUsed)}
                </span>
              </div>
              <form action={signOutDevice}>
                <input type="hidden" name="handle" value={device.handle} />
                <button type="submit" className="button ghost" data-testid="sign-out-device">
                  {device.current ? "Sign out" : "Sign out device"}
                </button>
              </form>
            </li>
          ))}
        </ul>
      </main>
    </>
  );
}

/** "Chrome on macOS" from a user agent: enough to recognise a device, without storing the full string. */
export function summarizeUserAgent(userAgent: string | null): string {
  const ua = userAgent ?? "";
  const browser = /Edg\//.test(ua)
    ? "Edge"
    : /Firefox\//.test(ua)
      ? "Firefox"
      : /HeadlessChrome\//.test(ua)
        ? "Headless Chrome"
        : /Chrome\/|CriOS\//.test(ua)
          ? "Chrome"
          : /Safari\//.test(ua)
            ? "Safari"
            : /curl\//.test(ua)
              ? "curl"
              : "Unknown browser";
  const os = /iPhone|iPad/.test(ua)
    ? "iOS"
    : /Android/.test(ua)
      ? "Android"
      : /Mac OS X|Macintosh/.test(ua)
        ? "macOS"
        : /Windows/.test(ua)
          ? "Windows"
          : /Linux|X11/.test(ua)
            ? "Linux"
            : "";
  const version =
    browser === "Safari"
      ? /Version\/(\d+(?:\.\d+)?)/.exec(ua)?.[1]
      : /(?:Edg|Firefox|HeadlessChrome|Chrome|CriOS|curl)\/(\d+)/.exec(ua)?.[1];
  const named = version ? `${browser} ${version}` : browser;
  return os ? `${named} on ${os}` : named;
}

/**
 * An approximate network for a client address: the last IPv4 octet (or all but the first
 * three IPv6 groups) hidden, e.g. `127.0.0.x`. Enough to tell devices apart, not to locate one.
 */
export function approximateNetwork(forwardedFor: string | null): string {
  const first =
    (forwardedFor ?? "")
      .split(",")[0]
      ?.trim()
      .replace(/^::ffff:/, "") ?? "";
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.\d{1,3}$/.exec(first);
  if (v4) return `${v4[1]}.${v4[2]}.${v4[3]}.x`;
  if (first.includes(":")) {
    const groups = first.split(":").filter(Boolean).slice(0, 3);
    return groups.length > 0 ? `${groups.join(":")}::/48` : "loopback (::1)";
  }
  return "unknown network";
}

/** "3 minutes ago", computed on the server at render time. */
export function timeAgo(then: number, now = Date.now()): string {
  const seconds = Math.max(0, Math.round((now - then) / 1000));
  if (seconds < 45) return "just now";
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} minute${minutes === 1 ? "" : "s"} ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `${hours} hour${hours === 1 ? "" : "s"} ago`;
  const days = Math.round(hours / 24);
  return `${days} day${days === 1 ? "" : "s"} ago`;
}

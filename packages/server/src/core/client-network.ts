import { isIP } from "node:net";

/**
 * The network a client address belongs to, as the audit log keeps it: the /24 of an IPv4
 * address, the /64 of an IPv6 one (an IPv4-mapped IPv6 address counts as IPv4). A network
 * names a provider or a site, not a person, and keeps one flooding client to one key.
 * Returns null when `address` is not an IP address.
 *
 * @example
 * ```ts
 * clientNetwork("198.51.100.23"); // "198.51.100.0/24"
 * clientNetwork("2001:db8:1:2:3:4:5:6"); // "2001:db8:1:2::/64"
 * ```
 */
export function clientNetwork(address: string | undefined | null): string | null {
  if (typeof address !== "string" || address.length > 64) return null;
  const zone = address.indexOf("%");
  const bare = zone === -1 ? address : address.slice(0, zone);
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(bare);
  const v4 = mapped ? mapped[1]! : bare;
  if (isIP(v4) === 4) {
    const [a, b, c] = v4.split(".").map(Number);
    return `${a}.${b}.${c}.0/24`;
  }
  if (isIP(bare) !== 6) return null;
  const groups = expandIPv6(bare);
  if (!groups) return null;
  return `${groups
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(":")}::/64`;
}

/** The eight 16-bit groups of an IPv6 address (an embedded dotted IPv4 tail included). */
function expandIPv6(address: string): number[] | null {
  let text = address.toLowerCase();
  const dotted = /(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = "", tail] = text.split("::");
  const left = head === "" ? [] : head.split(":");
  const right = tail === undefined || tail === "" ? [] : tail.split(":");
  const fill = tail === undefined ? 0 : 8 - left.length - right.length;
  const groups = [...left, ...Array.from({ length: fill }, () => "0"), ...right].map((g) => Number.parseInt(g, 16));
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : null;
}

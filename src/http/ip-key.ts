// The key under which every per-IP limit counts a client address: the rate limits, the sign-in
// throttle and the socket caps all pass their address through ipKey, so none of them can be walked
// around by hopping addresses that belong to one client.
//
// An IPv6 client usually holds a whole /64 (RFC 6177; SLAAC and privacy addresses change the lower
// 64 bits at will), so IPv6 addresses count by their /64 network. IPv4 addresses count one by one.
// An IPv4-mapped IPv6 address (::ffff:1.2.3.4, what a dual-stack listener may report for an IPv4
// client) is that IPv4 address.
//
// Parsing is left to the runtime: node:net's isIPv4/isIPv6 decide what an address is, and the WHATWG
// URL parser (the runtime's, maintained with it) turns an IPv6 address into its canonical RFC 5952
// text, from which the groups are read.
import { isIPv4, isIPv6 } from "node:net";

/** The /64 of an IPv6 client, its own address for IPv4; anything else (not an address) as it is. */
export function ipKey(address: string): string {
  // A zone ("fe80::1%eth0") names an interface of this machine, not a part of the client's address;
  // a port (some proxies write "198.51.100.7:5678" or "[2001:db8::1]:443" in X-Forwarded-For)
  // changes with every connection, so it must not make a budget of its own.
  const bare = withoutPort(address.trim()).replace(/%.*$/, "");
  if (isIPv4(bare)) return bare;
  // Only a proxy with TRUST_PROXY=true can hand us a non-address (its X-Forwarded-For): count it as given.
  if (!isIPv6(bare)) return address.trim();
  const groups = ipv6Groups(bare);
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    const [high, low] = [groups[6]!, groups[7]!];
    return [high >> 8, high & 0xff, low >> 8, low & 0xff].join(".");
  }
  return `${groups.slice(0, 4).map((g) => g.toString(16)).join(":")}::/64`;
}

/** "1.2.3.4:80" -> "1.2.3.4", "[::1]:80" -> "::1"; a bare IPv6 address (colons, no brackets) as it is. */
function withoutPort(address: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(address);
  if (bracketed) return bracketed[1]!;
  const v4 = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(address);
  return v4 ? v4[1]! : address;
}

/** The eight 16-bit groups of a valid IPv6 address. */
function ipv6Groups(address: string): number[] {
  // Canonical form: lower-case hex groups, at most one "::", never a dotted IPv4 tail.
  const canonical = new URL(`http://[${address}]/`).hostname.slice(1, -1);
  const [head = "", tail] = canonical.split("::");
  const parse = (part: string) => (part ? part.split(":").map((g) => parseInt(g, 16)) : []);
  const [front, back] = [parse(head), parse(tail ?? "")];
  const zeros = tail === undefined ? [] : Array<number>(8 - front.length - back.length).fill(0);
  return [...front, ...zeros, ...back];
}

import dns from "node:dns";
import net, { BlockList, type LookupFunction } from "node:net";
import { ConfigError } from "@/lib/errors";

/*
 * Which addresses a tenant's destination may reach. A destination URL is typed by a tenant, and
 * the worker connects from inside our network: without a check, "https://169.254.169.254/…" would
 * read the cloud's instance metadata and "http://10.0.0.5:5432" would probe our database. So:
 * - never: unspecified, link-local (the metadata service), multicast and reserved addresses;
 * - private networks and this machine (loopback, RFC 1918, unique-local, shared CGNAT) only when
 *   STREAM_PRIVATE_NETWORKS=allow (a self-hosted deployment whose SIEM is on its own network, and
 *   the tests' local receivers).
 * The check runs on the address actually connected to (DNS answers included), at every connection,
 * so a name that later resolves elsewhere (DNS rebinding) is caught too.
 */

export type PrivateNetworks = "deny" | "allow";

export function privateNetworksPolicy(env: NodeJS.ProcessEnv = process.env): PrivateNetworks {
  const raw = env.STREAM_PRIVATE_NETWORKS?.trim().toLowerCase();
  if (!raw || raw === "deny") return "deny";
  if (raw === "allow") return "allow";
  throw new ConfigError(`STREAM_PRIVATE_NETWORKS must be "deny" or "allow"; got "${env.STREAM_PRIVATE_NETWORKS}"`);
}

function blockList(subnets: Array<[string, number, "ipv4" | "ipv6"]>): BlockList {
  const list = new BlockList();
  for (const [network, prefix, family] of subnets) list.addSubnet(network, prefix, family);
  return list;
}

const NEVER = blockList([
  ["0.0.0.0", 8, "ipv4"],
  ["169.254.0.0", 16, "ipv4"],
  ["192.0.0.0", 24, "ipv4"],
  ["224.0.0.0", 4, "ipv4"],
  ["240.0.0.0", 4, "ipv4"],
  ["::", 128, "ipv6"],
  ["fe80::", 10, "ipv6"],
  ["ff00::", 8, "ipv6"],
  ["fd00:ec2::", 32, "ipv6"], // AWS's IPv6 metadata service (inside fc00::/7, but never a SIEM)
]);

const PRIVATE = blockList([
  ["127.0.0.0", 8, "ipv4"],
  ["10.0.0.0", 8, "ipv4"],
  ["172.16.0.0", 12, "ipv4"],
  ["192.168.0.0", 16, "ipv4"],
  ["100.64.0.0", 10, "ipv4"],
  ["198.18.0.0", 15, "ipv4"],
  ["::1", 128, "ipv6"],
  ["fc00::", 7, "ipv6"],
]);

/** An IPv4-mapped IPv6 address (::ffff:a.b.c.d or ::ffff:hhhh:hhhh) as the IPv4 address it is. */
function unmapped(address: string): { address: string; family: "ipv4" | "ipv6" } {
  const lower = address.toLowerCase().replace(/^\[|\]$/g, "");
  const dotted = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (dotted) return { address: dotted[1]!, family: "ipv4" };
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (hex) {
    const [hi, lo] = [parseInt(hex[1]!, 16), parseInt(hex[2]!, 16)];
    return { address: `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`, family: "ipv4" };
  }
  return { address: lower, family: net.isIPv6(lower) ? "ipv6" : "ipv4" };
}

/** Why `address` (an IP) may not be connected to, or null when it may. */
export function blockedAddress(address: string, policy: PrivateNetworks): string | null {
  const { address: ip, family } = unmapped(address);
  if (!net.isIP(ip)) return `${address} is not an IP address`;
  if (NEVER.check(ip, family)) return `${address} is a reserved or link-local address (such as a metadata service)`;
  if (policy === "deny" && PRIVATE.check(ip, family))
    return `${address} is on a private network or this machine; destinations must be reachable on the internet`;
  return null;
}

/** The error a refused address raises, so the delivery status says why in words. */
export class BlockedAddressError extends Error {
  readonly code = "EDESTINATIONBLOCKED";
  constructor(reason: string) {
    super(reason);
    this.name = "BlockedAddressError";
  }
}

/** Throws when `host` is an IP literal that may not be reached (names are checked as they resolve). */
export function assertLiteralAllowed(host: string, policy: PrivateNetworks = privateNetworksPolicy()): void {
  const bare = host.replace(/^\[|\]$/g, "");
  if (!net.isIP(bare)) return;
  const reason = blockedAddress(bare, policy);
  if (reason) throw new BlockedAddressError(reason);
}

/** A `lookup` for net/tls/undici connections that refuses any answer the policy blocks. */
export function checkedLookup(policy: PrivateNetworks = privateNetworksPolicy()): LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, "", 0);
      const answers = addresses as dns.LookupAddress[];
      for (const answer of answers) {
        const reason = blockedAddress(answer.address, policy);
        if (reason) return callback(new BlockedAddressError(`${hostname} resolves to ${reason}`), "", 0);
      }
      if (options.all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, answers);
      const first = answers[0];
      if (!first) return callback(Object.assign(new Error(`${hostname} has no address`), { code: "ENOTFOUND" }), "", 0);
      callback(null, first.address, first.family);
    });
  };
}

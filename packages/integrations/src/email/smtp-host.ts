import { lookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";

// Where an owner's SMTP host really is. The owner types the host, so in production the server
// must not be steered into its own network (loopback, private, link-local, carrier-grade NAT).
// The name is resolved once, every address is checked, and the connection goes to the checked
// address: a DNS answer that changes between the check and the connect cannot slip through.

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** DNS resolution, injectable so tests can make a name resolve wherever they need. */
export type HostResolver = (host: string) => Promise<ResolvedAddress[]>;

export type SmtpHostResolution =
  /** `servername`: the name to present and verify in TLS (absent when the owner typed an IP). */
  | { ok: true; address: string; servername?: string }
  | { ok: false; problem: "not_found" | "private_network" };

const privateNetworks = new BlockList();
for (const [network, prefix] of [["0.0.0.0", 8], ["10.0.0.0", 8], ["100.64.0.0", 10], ["127.0.0.0", 8], ["169.254.0.0", 16], ["172.16.0.0", 12], ["192.168.0.0", 16]] as const) {
  privateNetworks.addSubnet(network, prefix, "ipv4");
}
// ::ffff:0:0/96 holds every IPv4 address written as IPv6: refused whole rather than decoded.
for (const [network, prefix] of [["::", 128], ["::1", 128], ["fc00::", 7], ["fe80::", 10], ["::ffff:0:0", 96]] as const) {
  privateNetworks.addSubnet(network, prefix, "ipv6");
}

const systemResolver: HostResolver = async (host) => {
  const answers = await lookup(host, { all: true });
  return answers.map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 }));
};

export async function resolveSmtpHost(
  host: string,
  options: { blockPrivateNetworks: boolean; resolve?: HostResolver },
): Promise<SmtpHostResolution> {
  const bare = host.replace(/^\[|\]$/g, "");
  const literal = isIP(bare);
  let addresses: ResolvedAddress[];
  if (literal) {
    addresses = [{ address: bare, family: literal === 6 ? 6 : 4 }];
  } else {
    addresses = await (options.resolve ?? systemResolver)(bare).catch(() => []);
  }
  const first = addresses[0];
  if (!first) return { ok: false, problem: "not_found" };
  if (options.blockPrivateNetworks && addresses.some(({ address, family }) => privateNetworks.check(address, family === 6 ? "ipv6" : "ipv4"))) {
    return { ok: false, problem: "private_network" };
  }
  return literal ? { ok: true, address: first.address } : { ok: true, address: first.address, servername: bare };
}

import { lookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";
import type { EmailCredentials } from "@audnix/core";
import { createTransport } from "nodemailer";

export type SmtpCheck = { ok: true } | { ok: false; reason: string };

export interface SmtpVerifyOptions {
  /** Per phase (connect, greeting, each reply); a form submit should not hang on a dead host. */
  timeoutMs?: number;
  /**
   * Refuse hosts that resolve into loopback, private or link-local networks. On in production: the
   * owner types the host, and the server would otherwise probe its own network on their behalf.
   */
  blockPrivateNetworks?: boolean;
}

const privateNetworks = new BlockList();
for (const [network, prefix] of [["0.0.0.0", 8], ["10.0.0.0", 8], ["100.64.0.0", 10], ["127.0.0.0", 8], ["169.254.0.0", 16], ["172.16.0.0", 12], ["192.168.0.0", 16]] as const) {
  privateNetworks.addSubnet(network, prefix, "ipv4");
}
for (const [network, prefix] of [["::", 128], ["::1", 128], ["fc00::", 7], ["fe80::", 10], ["::ffff:0:0", 96]] as const) {
  privateNetworks.addSubnet(network, prefix, "ipv6");
}

/**
 * Connects, upgrades to TLS where the settings say so, and logs in, without sending anything: the
 * same handshake every follow-up email will go through. Reasons never contain the password.
 */
export async function verifySmtpCredentials(smtp: EmailCredentials["smtp"], options: SmtpVerifyOptions = {}): Promise<SmtpCheck> {
  const timeout = options.timeoutMs ?? 10_000;
  if (options.blockPrivateNetworks && (await resolvesIntoPrivateNetwork(smtp.host))) {
    return { ok: false, reason: `The SMTP host ${smtp.host} is not reachable from the internet. Use your mail provider's SMTP host.` };
  }
  const transport = createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    auth: { user: smtp.user, pass: smtp.password },
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
    dnsTimeout: timeout,
  });
  try {
    await transport.verify();
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: describeSmtpFailure(error, smtp) };
  } finally {
    transport.close();
  }
}

async function resolvesIntoPrivateNetwork(host: string): Promise<boolean> {
  const bare = host.replace(/^\[|\]$/g, "");
  // An unresolvable name is left to the handshake, which reports it as "could not be found".
  const addresses = isIP(bare) ? [{ address: bare, family: isIP(bare) }] : await lookup(bare, { all: true }).catch(() => []);
  return addresses.some(({ address, family }) => privateNetworks.check(address, family === 6 ? "ipv6" : "ipv4"));
}

function describeSmtpFailure(error: unknown, smtp: EmailCredentials["smtp"]): string {
  const { code, message } = error instanceof Error ? { code: (error as { code?: unknown }).code, message: error.message } : { code: undefined, message: "" };
  const where = `${smtp.host}:${smtp.port}`;
  if (code === "EAUTH" || code === "ENOAUTH") return `The SMTP server at ${where} rejected the user name or password.`;
  if (code === "ETLS" || /ssl|tls|certificate|wrong version number/i.test(message)) {
    return smtp.secure
      ? `The TLS handshake with ${where} failed. Port 465 uses TLS from the start; for 587 or 25 turn "secure" off.`
      : `The TLS upgrade with ${where} failed (its certificate or STARTTLS setup was refused).`;
  }
  if (code === "ETIMEDOUT") return `The SMTP server at ${where} did not answer in time. Check the host and port.`;
  if (code === "EDNS" || /ENOTFOUND|EAI_AGAIN/.test(message)) return `The SMTP host ${smtp.host} could not be found.`;
  if (code === "ECONNECTION" || code === "ESOCKET") return `Could not connect to the SMTP server at ${where}. Check the host and port.`;
  return `The SMTP server at ${where} refused the connection check.`;
}

import type { EmailCredentials } from "@audnix/core";
import type { HostResolver } from "./smtp-host.ts";
import { runSmtpSession, SmtpSessionError } from "./smtp-session.ts";

export type SmtpCheck = { ok: true } | { ok: false; reason: string };

export interface SmtpVerifyOptions {
  /** Per phase (connect, greeting, each reply); a form submit should not hang on a dead host. */
  timeoutMs?: number;
  /**
   * Refuse hosts that resolve into loopback, private or link-local networks. On in production: the
   * owner types the host, and the server would otherwise probe its own network on their behalf.
   */
  blockPrivateNetworks?: boolean;
  /** DNS, for tests; default the system resolver. */
  resolve?: HostResolver;
}

/**
 * Connects, upgrades to TLS where the settings say so, and logs in, without sending anything: the
 * same session every follow-up email goes through. Reasons never contain the password.
 */
export async function verifySmtpCredentials(smtp: EmailCredentials["smtp"], options: SmtpVerifyOptions = {}): Promise<SmtpCheck> {
  try {
    const session = await runSmtpSession({
      smtp,
      timeoutMs: options.timeoutMs ?? 10_000,
      blockPrivateNetworks: options.blockPrivateNetworks ?? false,
      ...(options.resolve ? { resolve: options.resolve } : {}),
    });
    if (session.ok) return { ok: true };
    return {
      ok: false,
      reason:
        session.problem === "private_network"
          ? `The SMTP host ${smtp.host} is not reachable from the internet. Use your mail provider's SMTP host.`
          : `The SMTP host ${smtp.host} could not be found.`,
    };
  } catch (error) {
    return { ok: false, reason: describeSmtpFailure(error instanceof SmtpSessionError ? error.cause : error, smtp) };
  }
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

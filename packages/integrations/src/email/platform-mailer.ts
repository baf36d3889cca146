import { createHash } from "node:crypto";
import type { PlatformMailer, PlatformMailOutcome, PlatformSender, PlatformSmtpSettings } from "@audnix/core";
import type { SendMailOptions } from "nodemailer";
import MailComposer from "nodemailer/lib/mail-composer";
import { classifySmtpError } from "./smtp-sender.ts";
import { runSmtpSession, SmtpSessionError } from "./smtp-session.ts";

export interface PlatformMailerOptions {
  smtp: PlatformSmtpSettings;
  from: PlatformSender;
  /** Per phase (connect, greeting, each reply). */
  timeoutMs?: number;
  now?: () => Date;
}

/**
 * The platform's mail to owners over Audnix's own SMTP account. The same session as owners'
 * follow-ups (smtp-session.ts), so a failure says whether the server could already hold the
 * email. The host is the operator's configuration, not an owner's input: no private-network check.
 */
export function createSmtpPlatformMailer(options: PlatformMailerOptions): PlatformMailer {
  const timeoutMs = options.timeoutMs ?? 20_000;
  const domain = options.from.address.split("@").pop() ?? "localhost";
  return {
    async send(email) {
      const messageId = `${createHash("sha256").update(email.idempotencyKey).digest("hex").slice(0, 32)}@${domain}`;
      const mail: SendMailOptions = {
        from: options.from.name ? { name: options.from.name, address: options.from.address } : options.from.address,
        to: email.to,
        subject: email.subject,
        messageId: `<${messageId}>`,
        ...(options.now ? { date: options.now() } : {}),
        text: email.text,
        ...(email.html === undefined ? {} : { html: email.html }),
        // Automated mail: mail servers and clients must not answer it with vacation replies (RFC 3834).
        headers: { "Auto-Submitted": "auto-generated" },
      };
      const composed = new MailComposer(mail).compile();
      const raw = await composed.build();
      const { from, to } = composed.getEnvelope();
      try {
        const session = await runSmtpSession(
          { smtp: options.smtp, timeoutMs, blockPrivateNetworks: false },
          { envelope: { from: from || options.from.address, to }, raw },
        );
        if (session.ok) return { status: "sent", messageId };
        return { status: "retry", reason: `the platform SMTP host ${options.smtp.host} could not be found` };
      } catch (error) {
        if (error instanceof SmtpSessionError) return platformOutcome(classifySmtpError(error.cause, error.phase));
        throw error;
      }
    },
  };
}

// A refused login or TLS handshake is the operator's configuration, fixed by a redeploy: the email
// waits for it (the job retries) instead of being dropped.
function platformOutcome(outcome: ReturnType<typeof classifySmtpError>): PlatformMailOutcome {
  switch (outcome.status) {
    case "token_invalid":
      return { status: "retry", reason: "the platform SMTP server refused the login or TLS handshake; check PLATFORM_SMTP_URL" };
    case "retry":
    case "window_closed":
      return { status: "retry", reason: outcome.reason };
    case "permanent":
    case "unconfirmed":
      return outcome;
  }
}

import { createHash } from "node:crypto";
import type { ChannelSender, EmailCredentials, OutboundMessage, SendOutcome } from "@audnix/core";
import type { SendMailOptions } from "nodemailer";
import MailComposer from "nodemailer/lib/mail-composer";
import type { HostResolver } from "./smtp-host.ts";
import { runSmtpSession, SmtpSessionError, type SmtpPhase } from "./smtp-session.ts";

export interface SmtpSenderOptions {
  smtp: EmailCredentials["smtp"];
  from: { address: string; name?: string };
  /** Right-hand side of our Message-IDs; default the from address's domain. */
  domainForMessageIds?: string;
  /** Per phase (connect, greeting, each reply). */
  timeoutMs?: number;
  /**
   * Refuse a host that resolves into a private network, checked on every send (on in production:
   * a name that pointed outside when the owner connected may point inside later).
   */
  blockPrivateNetworks?: boolean;
  /** DNS, for tests; default the system resolver. */
  resolve?: HostResolver;
  now?: () => Date;
}

/**
 * Sends follow-ups from the owner's mailbox over SMTP, threaded under the lead's last email, with a
 * one-click unsubscribe in the body and in the headers (RFC 8058). The Message-ID is derived from
 * the idempotency key, so a retried send is the same email to the lead's mail client, and it is the
 * providerMessageId (unbracketed, like inbound ids) that the lead's reply will point back to.
 */
export function createSmtpSender(options: SmtpSenderOptions): ChannelSender {
  const timeoutMs = options.timeoutMs ?? 20_000;
  const domain = options.domainForMessageIds ?? options.from.address.split("@").pop() ?? "localhost";
  return {
    channel: "email",
    async send(message) {
      const email = message.email;
      if (!email) return { status: "permanent", reason: "an email needs a subject and an unsubscribe link" };
      const messageId = `${createHash("sha256").update(message.idempotencyKey).digest("hex").slice(0, 32)}@${domain}`;
      const mail: SendMailOptions = {
        from: options.from.name ? { name: options.from.name, address: options.from.address } : options.from.address,
        to: message.recipient.name ? { name: message.recipient.name, address: message.recipient.externalId } : message.recipient.externalId,
        subject: email.subject,
        messageId: `<${messageId}>`,
        ...threading(email.inReplyTo, email.references),
        ...(options.now ? { date: options.now() } : {}),
        text: `${message.text}\n\n--\nDon't want these emails? Unsubscribe: ${email.unsubscribeUrl}\n`,
        html: htmlBody(message.text, email.unsubscribeUrl),
        headers: { "List-Unsubscribe": `<${email.unsubscribeUrl}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" },
      };
      const composed = new MailComposer(mail).compile();
      const raw = await composed.build();
      const { from, to } = composed.getEnvelope();
      try {
        const session = await runSmtpSession(
          {
            smtp: options.smtp,
            timeoutMs,
            blockPrivateNetworks: options.blockPrivateNetworks ?? false,
            ...(options.resolve ? { resolve: options.resolve } : {}),
          },
          { envelope: { from: from || options.from.address, to }, raw },
        );
        if (session.ok) return { status: "sent", providerMessageId: messageId };
        if (session.problem === "private_network") {
          return { status: "permanent", reason: `the SMTP host ${options.smtp.host} resolves into a private network; the owner must use their provider's SMTP host` };
        }
        return { status: "retry", reason: `the SMTP host ${options.smtp.host} could not be found` };
      } catch (error) {
        if (error instanceof SmtpSessionError) return classifySmtpError(error.cause, error.phase);
        throw error;
      }
    },
  };
}

type EmailDetails = NonNullable<OutboundMessage["email"]>;

// References lists the thread oldest first and ends with the message we answer (RFC 5322 §3.6.4).
function threading(inReplyTo: EmailDetails["inReplyTo"], references: EmailDetails["references"]): Pick<SendMailOptions, "inReplyTo" | "references"> {
  if (!inReplyTo && !references?.length) return {};
  const chain = (references ?? []).map(bracket);
  if (inReplyTo && !chain.includes(bracket(inReplyTo))) chain.push(bracket(inReplyTo));
  return { ...(inReplyTo ? { inReplyTo: bracket(inReplyTo) } : {}), references: chain };
}

function bracket(messageId: string): string {
  return `<${messageId.trim().replace(/^<|>$/g, "")}>`;
}

function htmlBody(text: string, unsubscribeUrl: string): string {
  const paragraphs = text
    .split(/\n{2,}/)
    .map((paragraph) => `<p>${escapeHtml(paragraph).replace(/\n/g, "<br>")}</p>`)
    .join("\n");
  return `${paragraphs}\n<p style="font-size:12px;color:#666">Don't want these emails? <a href="${escapeHtml(unsubscribeUrl)}">Unsubscribe</a></p>\n`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

const UNREACHABLE_CODES = new Set(["ECONNECTION", "ETIMEDOUT", "ESOCKET", "EDNS", "ECONNRESET", "ECONNREFUSED"]);

/**
 * nodemailer errors carry `code` (EAUTH, ECONNECTION, ...) and the server's `responseCode`; the
 * phase says whether the message could already be with the server.
 */
export function classifySmtpError(error: unknown, phase: SmtpPhase): Exclude<SendOutcome, { status: "sent" }> {
  const { code, responseCode } = (error ?? {}) as { code?: unknown; responseCode?: unknown };
  const reply = typeof responseCode === "number" ? responseCode : undefined;
  if (reply === 535 || reply === 534 || code === "EAUTH" || code === "ENOAUTH") {
    return { status: "token_invalid", reason: `the SMTP server rejected the login${reply ? ` (${reply})` : ""}; the owner must update the email connection` };
  }
  if (code === "ETLS") return { status: "token_invalid", reason: "the TLS handshake with the SMTP server failed; check the email connection settings" };
  // A 4xx/5xx reply, even to the end of DATA, means the server did not take the message (RFC 5321 §4.2.5).
  if (reply !== undefined && reply >= 400 && reply < 500) return { status: "retry", reason: `the SMTP server deferred the message (${reply})` };
  if (reply !== undefined && reply >= 500) return { status: "permanent", reason: `the SMTP server refused the message (${reply})` };
  if (phase === "transaction") {
    // No reply: a timeout or reset once the transaction began may come after the server queued it.
    if (code === "EENVELOPE" || code === "EMESSAGE") return { status: "permanent", reason: "the SMTP server could not take this message" };
    return { status: "unconfirmed", reason: `the SMTP server did not confirm the message${typeof code === "string" ? ` (${code})` : ""}; it may have been delivered` };
  }
  if (typeof code === "string" && UNREACHABLE_CODES.has(code)) return { status: "retry", reason: `the SMTP server could not be reached (${code})` };
  return { status: "permanent", reason: "the SMTP send failed" };
}

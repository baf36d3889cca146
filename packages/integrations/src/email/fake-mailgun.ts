import { createHash, createHmac } from "node:crypto";
import { buildFakeMime, type FakeMail } from "./fake-mime.ts";

export interface FakeInboundEmail extends Omit<FakeMail, "messageId" | "date"> {
  /** Without angle brackets; derived from the content when absent. */
  messageId?: string;
  /**
   * The envelope recipient (SMTP RCPT TO), which Mailgun posts as `recipient`; `to` when absent.
   * Mail forwarded from the owner's mailbox keeps the business's address in To.
   */
  recipient?: string;
}

export interface FakeMailgunSigning {
  /** The token to sign (Mailgun's are 50 random characters); derived from the mail when absent. */
  token?: string;
  /** The signed timestamp; `now` when absent. A retry keeps the first attempt's. */
  signedAt?: Date;
}

/** The three fields Mailgun signs a POST with. */
export type MailgunSignatureTrio = Record<"timestamp" | "token" | "signature", string>;

/**
 * The form fields Mailgun POSTs to a route whose URL ends in "mime": envelope fields, the raw MIME
 * in `body-mime`, and timestamp/token/signature signed with the webhook signing key. Field names
 * follow Mailgun's documentation (mailgun-route-fields.fixture.ts, checked by a test).
 */
export function buildMailgunInboundFields(
  email: FakeInboundEmail,
  signingKey: string,
  now: Date,
  signing: FakeMailgunSigning = {},
): Record<string, string> {
  const messageId = email.messageId?.replace(/^<|>$/g, "") ?? derivedMessageId(email, now);
  const signedAt = signing.signedAt ?? now;
  // Derived by default so the same input gives the same fields.
  const token = signing.token ?? createHash("sha256").update(`${messageId}:${signedAt.getTime()}`).digest("hex").slice(0, 50);
  return {
    recipient: email.recipient ?? email.to,
    sender: email.from,
    from: email.fromName ? `${email.fromName} <${email.from}>` : email.from,
    subject: email.subject,
    "body-mime": buildFakeMime({ ...mailOf(email), messageId, date: now }),
    ...signMailgun(signingKey, signedAt, token),
  };
}

/** Mailgun's signature over timestamp + token (the body is not covered, which is what a replay exploits). */
export function signMailgun(signingKey: string, signedAt: Date, token: string): MailgunSignatureTrio {
  const timestamp = String(Math.floor(signedAt.getTime() / 1000));
  return { timestamp, token, signature: createHmac("sha256", signingKey).update(timestamp + token).digest("hex") };
}

/** What an attacker who saw one delivery can send: another body under that delivery's signature. */
export function replayMailgunSignature(captured: Record<string, string>, fields: Record<string, string>): Record<string, string> {
  return { ...fields, timestamp: captured.timestamp ?? "", token: captured.token ?? "", signature: captured.signature ?? "" };
}

function mailOf({ recipient: _recipient, messageId: _messageId, ...mail }: FakeInboundEmail): Omit<FakeMail, "messageId" | "date"> {
  return mail;
}

function derivedMessageId(email: FakeInboundEmail, now: Date): string {
  const digest = createHash("sha256").update([email.from, email.to, email.subject, email.text, now.toISOString()].join("\n")).digest("hex");
  const domain = email.from.split("@")[1] ?? "mail.example.com";
  return `${digest.slice(0, 24)}@${domain}`;
}

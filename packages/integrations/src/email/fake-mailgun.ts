import { createHash, createHmac } from "node:crypto";
import { buildFakeMime, type FakeMail } from "./fake-mime.ts";

export interface FakeInboundEmail extends Omit<FakeMail, "messageId" | "date"> {
  /** Without angle brackets; derived from the content when absent. */
  messageId?: string;
}

/**
 * The form fields Mailgun POSTs to a route whose URL ends in "mime": envelope fields, the raw MIME
 * in `body-mime`, and timestamp/token/signature signed with the webhook signing key.
 */
export function buildMailgunInboundFields(email: FakeInboundEmail, signingKey: string, now: Date): Record<string, string> {
  const messageId = email.messageId?.replace(/^<|>$/g, "") ?? derivedMessageId(email, now);
  const timestamp = String(Math.floor(now.getTime() / 1000));
  // Mailgun's token is 50 random characters; derived here so the same input gives the same fields.
  const token = createHash("sha256").update(`${messageId}:${timestamp}`).digest("hex").slice(0, 50);
  return {
    recipient: email.to,
    sender: email.from,
    from: email.fromName ? `${email.fromName} <${email.from}>` : email.from,
    subject: email.subject,
    "body-mime": buildFakeMime({ ...email, messageId, date: now }),
    timestamp,
    token,
    signature: createHmac("sha256", signingKey).update(timestamp + token).digest("hex"),
  };
}

function derivedMessageId(email: FakeInboundEmail, now: Date): string {
  const digest = createHash("sha256").update([email.from, email.to, email.subject, email.text, now.toISOString()].join("\n")).digest("hex");
  const domain = email.from.split("@")[1] ?? "mail.example.com";
  return `${digest.slice(0, 24)}@${domain}`;
}

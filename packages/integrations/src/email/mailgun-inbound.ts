import { createHash } from "node:crypto";
import {
  checkInboundEvent,
  idProblem,
  isPlausibleSentAt,
  MalformedDeliveryError,
  storableJson,
  stripQuotedHistory,
  type InboundAttachment,
  type ParsedDelivery,
  type UncheckedInboundEvent,
} from "@audnix/core";
import { simpleParser, type ParsedMail } from "mailparser";
import { z } from "zod";
import { htmlText } from "./html-text.ts";

// What a Mailgun route whose URL ends in "mime" posts. Only these are needed; the rest is ignored.
const fieldsSchema = z.object({
  recipient: z.string().trim().min(3),
  "body-mime": z.string().min(1),
});

// The signature trio proves the POST came from Mailgun; it is not part of the mail.
const SIGNATURE_FIELDS = new Set(["timestamp", "token", "signature"]);

/**
 * Parses an inbound email (signature already checked with verifyMailgunSignature) into one event
 * for the inbound address it was sent to: the lead's message, or a notice for automatic mail.
 * `now` (when the webhook arrived) stands in for a Date header that is missing or not believable.
 * The event goes through core's checkInboundEvent like every channel's: text that Postgres could
 * not store (a quoted-printable =00 decodes to NUL) is cleaned, and a mail whose sender cannot be
 * an id is named in `rejected` instead of failing the delivery.
 */
export async function parseMailgunInbound(fields: Record<string, string>, now: Date = new Date()): Promise<ParsedDelivery> {
  const valid = fieldsSchema.safeParse(fields);
  if (!valid.success) {
    const missing = valid.error.issues.map((issue) => issue.path.join(".")).join(", ");
    throw new MalformedDeliveryError(`Mailgun inbound fields missing or empty: ${missing}`);
  }
  const bodyMime = valid.data["body-mime"];
  const accountId = valid.data.recipient.toLowerCase();

  const mail = await parseMime(bodyMime);
  const author = mail.from?.value.find((mailbox) => mailbox.address);
  const from = author?.address?.toLowerCase();
  if (!author || !from) throw new MalformedDeliveryError("body-mime has no From address");

  const automatic = automaticMailReason(mail, from, fields.sender ?? "");
  const event: UncheckedInboundEvent = automatic
    ? { kind: "notice", accountId, notice: "unsupported", detail: `automatic email (${automatic})` }
    : {
        kind: "message",
        accountId,
        providerMessageId: providerMessageId(mail, bodyMime),
        sender: { externalId: from, name: author.name.trim() || null, email: from, phone: null },
        // mailparser derives text from HTML only for a lone HTML body, not inside multipart/related.
        text: stripQuotedHistory(mail.text || (mail.html ? htmlText(mail.html) : "")),
        attachments: attachments(mail),
        // The Date header is the sender's claim, not the platform's stamp: an unbelievable one is replaced.
        sentAt: mail.date && isPlausibleSentAt(mail.date, now) ? mail.date : now,
        thread: { subject: mail.subject ?? null, references: threadReferences(mail) },
      };

  const rawEntry = storableJson(Object.fromEntries(Object.entries(fields).filter(([name]) => !SIGNATURE_FIELDS.has(name))));
  const checked = checkInboundEvent(event, now);
  if (checked.ok) return { channel: "email", groups: [{ accountId, rawEntries: [rawEntry], events: [checked.event] }], rejected: [] };
  // An unusable recipient has no account to keep the mail under.
  const groups = idProblem("accountId", accountId) === null ? [{ accountId, rawEntries: [rawEntry], events: [] }] : [];
  return { channel: "email", groups, rejected: [{ index: 0, reason: checked.reason }] };
}

// A Message-ID is the sender's to choose: one that cannot be an id is treated as missing.
function providerMessageId(mail: ParsedMail, bodyMime: string): string {
  const id = mail.messageId ? unbracket(mail.messageId) : "";
  return idProblem("Message-ID", id) === null ? id : createHash("sha256").update(bodyMime).digest("hex");
}

async function parseMime(bodyMime: string): Promise<ParsedMail> {
  try {
    // Inline images stay cid: links and no HTML is generated: neither reaches the model.
    return await simpleParser(bodyMime, { skipImageLinks: true, skipTextToHtml: true, skipTextLinks: true });
  } catch (error) {
    throw new MalformedDeliveryError(`body-mime could not be parsed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

// Out-of-office replies, bounces and bulk mail are not a person writing: answering them would start
// a loop between two robots (RFC 3834).
function automaticMailReason(mail: ParsedMail, from: string, envelopeSender: string): string | null {
  const header = (name: string) => {
    const value = mail.headers.get(name);
    if (value === undefined) return null;
    return (typeof value === "object" && "value" in value ? String(value.value) : String(value)).trim().toLowerCase();
  };
  const autoSubmitted = header("auto-submitted");
  if (autoSubmitted && autoSubmitted !== "no") return `Auto-Submitted: ${autoSubmitted}`;
  const precedence = header("precedence");
  if (precedence && ["bulk", "auto_reply", "junk"].includes(precedence)) return `Precedence: ${precedence}`;
  if (header("x-autoreply") !== null || header("x-autorespond") !== null) return "X-Autoreply";
  if (header("content-type") === "multipart/report") return "delivery report";
  const daemon = [from, envelopeSender.toLowerCase()].find((address) => address.split("@")[0] === "mailer-daemon");
  return daemon ? "sent by mailer-daemon" : null;
}

// Embedded images (signature logos, inline pictures) are part of the HTML, not files the lead sent.
function attachments(mail: ParsedMail): InboundAttachment[] {
  return mail.attachments
    .filter((attachment) => !attachment.related)
    .map((attachment) => ({ type: "file", url: null, providerMediaId: null, mimeType: attachment.contentType, fileName: attachment.filename ?? null }));
}

// Oldest first, as in References, then In-Reply-To when it is not already listed.
function threadReferences(mail: ParsedMail): string[] {
  const references = typeof mail.references === "string" ? [mail.references] : (mail.references ?? []);
  const ids = [...references, mail.inReplyTo ?? ""].flatMap(messageIds);
  return [...new Set(ids)];
}

function messageIds(header: string): string[] {
  const bracketed = [...header.matchAll(/<([^<>\s]+)>/g)].map((match) => match[1] ?? "");
  return bracketed.length > 0 ? bracketed : header.split(/\s+/).filter((id) => id !== "");
}

function unbracket(messageId: string): string {
  return messageId.trim().replace(/^<|>$/g, "");
}

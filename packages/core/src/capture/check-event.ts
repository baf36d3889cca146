import { matchesOptOutKeyword } from "../followup/opt-out.ts";
import type {
  DeliveryStatusEvent,
  EchoEvent,
  InboundAttachment,
  InboundEvent,
  InboundMessageEvent,
  NoticeEvent,
  ReadReceiptEvent,
} from "./inbound-event.ts";
import { storableText } from "../text/storable-text.ts";

// The last step of every channel's parser: one event is made storable or refused, never the
// delivery it came in. Text is repaired (a stray NUL costs nothing the lead meant to say); an id
// or a time we cannot trust refuses the event, because a repaired id would be a different message
// and a wrong time would misplace it against the platforms' 24 h windows.

/** Longest message text stored, and so the most the model is ever given of one message. */
export const MESSAGE_TEXT_LIMIT = 20_000;

/**
 * Longest platform id we accept. Meta's ids are under 200 characters; 512 (at most 2 KB of UTF-8)
 * also keeps every id under Postgres's 2.7 KB limit for a btree index entry.
 */
export const PROVIDER_ID_LIMIT = 512;

/** No platform we serve existed before this: an earlier time is a broken timestamp. */
export const EARLIEST_MESSAGE_AT = new Date("2000-01-01T00:00:00.000Z");

/** How far a platform's clock may run ahead of ours before its timestamp is not believed. */
export const MESSAGE_CLOCK_SKEW_MS = 24 * 60 * 60 * 1000;

/** A message event as a parser builds it, before core's keyword rule has looked at it. */
export type UncheckedMessageEvent = Omit<InboundMessageEvent, "optOut">;
export type UncheckedInboundEvent = UncheckedMessageEvent | EchoEvent | DeliveryStatusEvent | ReadReceiptEvent | NoticeEvent;

export type EventCheck = { ok: true; event: InboundEvent } | { ok: false; reason: string };

/**
 * The event, storable: ids checked, the time checked against `receivedAt`, text cleaned and cut
 * at MESSAGE_TEXT_LIMIT, and a message marked when it asks us to stop (matchesOptOutKeyword), so
 * capture can opt the lead out in the same transaction. Reasons name the field, never its value.
 */
export function checkInboundEvent(event: UncheckedInboundEvent, receivedAt: Date): EventCheck {
  const badId = idProblem("accountId", event.accountId);
  if (badId) return { ok: false, reason: badId };
  if (event.kind === "notice") return { ok: true, event: { ...event, detail: storableText(event.detail) } };
  if (event.kind === "status" || event.kind === "read") {
    const reportProblem =
      idProblem("providerMessageId", event.providerMessageId) ??
      (event.kind === "read" ? idProblem("leadExternalId", event.leadExternalId) : null) ??
      (isPlausibleSentAt(event.at, receivedAt) ? null : "at: not between 2000-01-01 and a day after receipt");
    return reportProblem ? { ok: false, reason: reportProblem } : { ok: true, event };
  }

  const problem =
    idProblem("providerMessageId", event.providerMessageId) ??
    (event.kind === "message"
      ? idProblem("sender.externalId", event.sender.externalId)
      : idProblem("recipientExternalId", event.recipientExternalId)) ??
    (isPlausibleSentAt(event.sentAt, receivedAt) ? null : "sentAt: not between 2000-01-01 and a day after receipt");
  if (problem) return { ok: false, reason: problem };

  const text = messageText(event.text);
  const attachments = event.attachments.map(storableAttachment);
  if (event.kind === "echo") return { ok: true, event: { ...event, text, attachments } };
  const { sender, thread } = event;
  return {
    ok: true,
    event: {
      ...event,
      sender: { ...sender, name: nullableText(sender.name), email: nullableText(sender.email), phone: nullableText(sender.phone) },
      text,
      attachments,
      thread: thread && { subject: nullableText(thread.subject), references: thread.references.map(storableText) },
      optOut: matchesOptOutKeyword(text),
    },
  };
}

/** A time a platform could have stamped on a message received at `receivedAt`. */
export function isPlausibleSentAt(sentAt: Date, receivedAt: Date): boolean {
  const ms = sentAt.getTime();
  return ms >= EARLIEST_MESSAGE_AT.getTime() && ms <= receivedAt.getTime() + MESSAGE_CLOCK_SKEW_MS;
}

/** Why `id` cannot identify anything (empty, too long, control characters, broken UTF-16), or null. */
export function idProblem(field: string, id: string): string | null {
  if (id.length === 0 || id.length > PROVIDER_ID_LIMIT) return `${field}: must be 1 to ${PROVIDER_ID_LIMIT} characters`;
  if (!isCleanId(id)) return `${field}: contains control characters or broken Unicode`;
  return null;
}

function isCleanId(id: string): boolean {
  for (let index = 0; index < id.length; index += 1) {
    const unit = id.charCodeAt(index);
    if (unit < 0x20 || unit === 0x7f || unit === 0xfffd) return false;
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = id.charCodeAt(index + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return false;
      index += 1;
    } else if (unit >= 0xdc00 && unit <= 0xdfff) {
      return false;
    }
  }
  return true;
}

/** Storable, and cut at MESSAGE_TEXT_LIMIT with a marker that says how much is missing. */
function messageText(raw: string): string {
  const text = storableText(raw);
  if (text.length <= MESSAGE_TEXT_LIMIT) return text;
  // Never end on the first half of a surrogate pair.
  const lastUnit = text.charCodeAt(MESSAGE_TEXT_LIMIT - 1);
  const cut = lastUnit >= 0xd800 && lastUnit <= 0xdbff ? MESSAGE_TEXT_LIMIT - 1 : MESSAGE_TEXT_LIMIT;
  return `${text.slice(0, cut)}\n[message truncated: ${text.length - cut} more characters not stored]`;
}

function nullableText(text: string | null): string | null {
  return text === null ? null : storableText(text);
}

function storableAttachment(attachment: InboundAttachment): InboundAttachment {
  return {
    type: storableText(attachment.type),
    url: nullableText(attachment.url),
    providerMediaId: nullableText(attachment.providerMediaId),
    mimeType: nullableText(attachment.mimeType),
    fileName: nullableText(attachment.fileName),
  };
}

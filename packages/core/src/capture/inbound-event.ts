// The one shape every channel's webhook is normalized into before it touches the database. The
// parsers (one per channel) produce it; the capture transaction consumes it.

import type { ReportedDeliveryStatus } from "./delivery-status.ts";
import type { DeliveryFailure } from "./whatsapp-failure.ts";

export const CAPTURE_CHANNELS = ["instagram", "whatsapp", "email", "sandbox"] as const;
export type CaptureChannel = (typeof CAPTURE_CHANNELS)[number];

export interface InboundAttachment {
  /** "image", "audio", "video", "file", "story_mention", ... as the platform names it. */
  type: string;
  url: string | null;
  /** The platform's id for the file when it sends one instead of a URL (WhatsApp media ids). */
  providerMediaId: string | null;
  mimeType: string | null;
  fileName: string | null;
}

export interface InboundSender {
  /** Instagram-scoped id, WhatsApp wa_id, email address, or sandbox handle. */
  externalId: string;
  name: string | null;
  email: string | null;
  phone: string | null;
}

/** The lead wrote to the business: creates or updates the lead and asks for a reply. */
export interface InboundMessageEvent {
  kind: "message";
  /** The business account the platform delivered to: IG account id, phone_number_id, inbound address. */
  accountId: string;
  providerMessageId: string;
  sender: InboundSender;
  /** Plain text (email: quoted history and signature already stripped). Empty for attachment-only messages. */
  text: string;
  attachments: InboundAttachment[];
  sentAt: Date;
  /** Email threading: the Message-ID of the lead's mail and the subject, so replies land in the thread. */
  thread: { subject: string | null; references: string[] } | null;
  /**
   * The text asks us to stop, by core's keyword rule (matchesOptOutKeyword, set by checkInboundEvent):
   * capture opts the lead out in its own transaction. The SQL acts on this flag and knows no keywords.
   */
  optOut: boolean;
}

/** A message the business itself sent (from our sender or the platform's own app): never a lead speaking. */
export interface EchoEvent {
  kind: "echo";
  accountId: string;
  providerMessageId: string;
  /** The lead the business wrote to. */
  recipientExternalId: string;
  text: string;
  attachments: InboundAttachment[];
  sentAt: Date;
}

/** The vendor's word on one message the business sent (a WhatsApp status, by its wamid). */
export interface DeliveryStatusEvent {
  kind: "status";
  accountId: string;
  providerMessageId: string;
  status: ReportedDeliveryStatus;
  /** When the vendor says it happened. */
  at: Date;
  /** Only for "failed": why, in our words, and the vendor's code. */
  failure: DeliveryFailure | null;
}

/**
 * The lead read the conversation up to one of the business's messages (Instagram messaging_seen,
 * `read.mid`): that message and every earlier outbound one to the lead count as read.
 */
export interface ReadReceiptEvent {
  kind: "read";
  accountId: string;
  /** The lead who read (Instagram-scoped id). */
  leadExternalId: string;
  /** The latest message read. */
  providerMessageId: string;
  status: "read";
  at: Date;
}

/** Reactions, statuses we do not track, unsupported types: kept in the raw event only. */
export interface NoticeEvent {
  kind: "notice";
  accountId: string;
  notice: "read" | "reaction" | "status" | "unsupported";
  detail: string;
}

export type InboundEvent = InboundMessageEvent | EchoEvent | DeliveryStatusEvent | ReadReceiptEvent | NoticeEvent;

/** Events of one business account within a delivery, with the raw entries they came from. */
export interface DeliveryGroup {
  accountId: string;
  /** The platform's own entry objects for this account (what webhook_events keeps for audit and replay). */
  rawEntries: unknown[];
  events: InboundEvent[];
}

export interface RejectedEntry {
  /** Position in the delivery's entry list. */
  index: number;
  reason: string;
}

/** A verified, parsed webhook delivery: the good entries grouped by account, the bad ones named. */
export interface ParsedDelivery {
  channel: CaptureChannel;
  groups: DeliveryGroup[];
  rejected: RejectedEntry[];
}

import { z } from "zod";
import type { UncheckedInboundEvent } from "./check-event.ts";
import type { InboundAttachment, InboundSender, ParsedDelivery } from "./inbound-event.ts";
import { issueReason } from "./issue-reason.ts";
import { parseMetaDelivery, type LocatedEvent } from "./meta-delivery.ts";
import { noticeEvent } from "./notice-event.ts";
import { REPORTED_DELIVERY_STATUSES, type ReportedDeliveryStatus } from "./delivery-status.ts";
import { whatsappDeliveryFailure } from "./whatsapp-failure.ts";

// Loose: the entry is re-emitted per phone number with only that number's changes (see below).
const entrySchema = z.looseObject({ id: z.string().min(1), changes: z.array(z.unknown()) });

const changeSchema = z.object({ field: z.string(), value: z.unknown() });

const valueSchema = z.object({
  metadata: z.object({ phone_number_id: z.string().min(1) }),
  contacts: z.array(z.unknown()).optional(),
  messages: z.array(z.unknown()).optional(),
  statuses: z.array(z.unknown()).optional(),
});

const contactSchema = z.object({ wa_id: z.string(), profile: z.object({ name: z.string().optional() }).optional() });

const unixSeconds = z
  .union([z.string().regex(/^\d+$/), z.number().int().nonnegative()])
  .transform((seconds) => new Date(Number(seconds) * 1000));

const media = z.object({
  id: z.string().min(1),
  mime_type: z.string().optional(),
  caption: z.string().optional(),
  filename: z.string().optional(),
});

const MEDIA_TYPES = ["image", "audio", "video", "document", "sticker"] as const;
type MediaType = (typeof MEDIA_TYPES)[number];
const isMediaType = (type: string): type is MediaType => (MEDIA_TYPES as readonly string[]).includes(type);

const messageSchema = z
  .object({
    from: z.string().min(1),
    id: z.string().min(1),
    timestamp: unixSeconds,
    type: z.string().min(1),
    text: z.object({ body: z.string() }).optional(),
    image: media.optional(),
    audio: media.optional(),
    video: media.optional(),
    document: media.optional(),
    sticker: media.optional(),
    button: z.object({ text: z.string() }).optional(),
    interactive: z
      .object({
        button_reply: z.object({ title: z.string() }).optional(),
        list_reply: z.object({ title: z.string() }).optional(),
      })
      .optional(),
    reaction: z.object({ message_id: z.string().optional(), emoji: z.string().optional() }).optional(),
  })
  .superRefine((message, ctx) => {
    // Each type carries its content under a key of the same name.
    const needsOwnKey = message.type === "text" || message.type === "button" || isMediaType(message.type);
    if (needsOwnKey && message[message.type as "text" | "button" | MediaType] === undefined) {
      ctx.addIssue({ code: "custom", path: [message.type], message: `required for type ${message.type}` });
    }
  });

type WhatsAppMessage = z.infer<typeof messageSchema>;

// https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/status
// (statuses[]: id = the wamid our send got back, status, timestamp, recipient_id, errors[] on "failed").
const statusSchema = z.object({
  id: z.string().min(1),
  status: z.string().min(1),
  timestamp: unixSeconds,
  errors: z.array(z.looseObject({ code: z.number().int().optional() })).optional(),
});

type WhatsAppStatus = z.infer<typeof statusSchema>;

interface AccountPart {
  rawChanges: unknown[];
  events: LocatedEvent[];
}

/**
 * Normalizes a WhatsApp Cloud API webhook (already signature-checked) into per-number events;
 * `receivedAt` (when the webhook arrived) bounds the message times it believes.
 */
export function parseWhatsAppDelivery(body: unknown, receivedAt: Date): ParsedDelivery {
  return parseMetaDelivery(body, receivedAt, {
    channel: "whatsapp",
    object: "whatsapp_business_account",
    entrySchema,
    readEntry(entry, { add, reject }) {
      // One business account (WABA) can own several numbers, and each number is its own connection.
      const parts = new Map<string, AccountPart>();
      entry.changes.forEach((rawChange, position) => {
        const change = changeSchema.safeParse(rawChange);
        if (!change.success) return reject(issueReason(`changes[${position}]`, change.error));
        if (change.data.field !== "messages") return reject(`changes[${position}].field: "${change.data.field}" is not a messages change`);
        const value = valueSchema.safeParse(change.data.value);
        if (!value.success) return reject(issueReason(`changes[${position}].value`, value.error));

        const accountId = value.data.metadata.phone_number_id;
        const part = parts.get(accountId) ?? { rawChanges: [], events: [] };
        parts.set(accountId, part);
        part.rawChanges.push(rawChange);

        const names = contactNames(value.data.contacts ?? []);
        (value.data.messages ?? []).forEach((rawMessage, item) => {
          const at = `changes[${position}].value.messages[${item}]`;
          const message = messageSchema.safeParse(rawMessage);
          if (message.success) part.events.push({ at, event: messageEvent(accountId, message.data, names) });
          else reject(issueReason(at, message.error));
        });
        (value.data.statuses ?? []).forEach((rawStatus, item) => {
          const at = `changes[${position}].value.statuses[${item}]`;
          const status = statusSchema.safeParse(rawStatus);
          if (status.success) part.events.push({ at, event: statusEvent(accountId, status.data) });
          else reject(issueReason(at, status.error));
        });
      });
      for (const [accountId, part] of parts) {
        add(accountId, { ...entry, changes: part.rawChanges }, part.events);
      }
    },
  });
}

// A contact without a usable name only costs the lead's name, never the message.
function contactNames(contacts: unknown[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const raw of contacts) {
    const contact = contactSchema.safeParse(raw);
    const name = contact.success ? contact.data.profile?.name?.trim() : undefined;
    if (contact.success && name) names.set(contact.data.wa_id, name);
  }
  return names;
}

function messageEvent(accountId: string, message: WhatsAppMessage, names: Map<string, string>): UncheckedInboundEvent {
  if (message.type === "reaction") {
    const emoji = message.reaction?.emoji;
    const target = message.reaction?.message_id ?? "unknown message";
    return noticeEvent(accountId, "reaction", emoji ? `react ${emoji} on ${target}` : `unreact on ${target}`);
  }
  const content = messageContent(message);
  if (!content) return noticeEvent(accountId, "unsupported", `message ${message.id} of type ${message.type}`);
  return {
    kind: "message",
    accountId,
    providerMessageId: message.id,
    sender: sender(message.from, names),
    text: content.text,
    attachments: content.attachments,
    sentAt: message.timestamp,
    thread: null,
  };
}

function messageContent(message: WhatsAppMessage): { text: string; attachments: InboundAttachment[] } | null {
  if (message.type === "text" && message.text) return { text: message.text.body, attachments: [] };
  if (message.type === "button" && message.button) return { text: message.button.text, attachments: [] };
  if (message.type === "interactive") {
    const title = message.interactive?.button_reply?.title ?? message.interactive?.list_reply?.title;
    return title === undefined ? null : { text: title, attachments: [] };
  }
  if (isMediaType(message.type)) {
    const file = message[message.type];
    if (!file) return null;
    // WhatsApp sends a media id, not a public URL: the file is fetched later with the account's token.
    const attachment: InboundAttachment = {
      type: message.type,
      url: null,
      providerMediaId: file.id,
      mimeType: file.mime_type ?? null,
      fileName: file.filename ?? null,
    };
    return { text: file.caption ?? "", attachments: [attachment] };
  }
  return null;
}

function sender(waId: string, names: Map<string, string>): InboundSender {
  const digits = waId.replace(/^\+/, "");
  return {
    externalId: waId,
    name: names.get(waId) ?? null,
    email: null,
    phone: /^\d{6,15}$/.test(digits) ? `+${digits}` : null,
  };
}

const isReported = (status: string): status is ReportedDeliveryStatus => (REPORTED_DELIVERY_STATUSES as readonly string[]).includes(status);

// Statuses outside sent/delivered/read/failed (the older API's "deleted", "warning") are only noted.
function statusEvent(accountId: string, status: WhatsAppStatus): UncheckedInboundEvent {
  if (!isReported(status.status)) return noticeEvent(accountId, "status", `${status.status} ${status.id}`);
  const codes = (status.errors ?? []).flatMap((error) => (error.code === undefined ? [] : [error.code]));
  return {
    kind: "status",
    accountId,
    providerMessageId: status.id,
    status: status.status,
    at: status.timestamp,
    failure: status.status === "failed" ? whatsappDeliveryFailure(codes) : null,
  };
}

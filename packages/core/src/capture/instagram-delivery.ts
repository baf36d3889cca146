import { z } from "zod";
import type { UncheckedInboundEvent } from "./check-event.ts";
import type { InboundAttachment, ParsedDelivery } from "./inbound-event.ts";
import { issueReason } from "./issue-reason.ts";
import { parseMetaDelivery, type LocatedEvent } from "./meta-delivery.ts";
import { noticeEvent } from "./notice-event.ts";

const entrySchema = z.object({
  id: z.string().min(1),
  messaging: z.array(z.unknown()).optional(),
  // Comment and mention webhooks arrive as `changes`: not conversations, so only noted.
  changes: z.array(z.object({ field: z.string() })).optional(),
});

const party = z.object({ id: z.string().min(1) });

const messageItemSchema = z.object({
  sender: party,
  recipient: party,
  timestamp: z.number().int().nonnegative(),
  message: z.object({
    mid: z.string().min(1),
    text: z.string().optional(),
    attachments: z
      .array(z.object({ type: z.string().min(1), payload: z.object({ url: z.string().optional() }).nullish() }))
      .optional(),
    is_echo: z.boolean().optional(),
    is_deleted: z.boolean().optional(),
    is_unsupported: z.boolean().optional(),
  }),
});

// messaging_seen, as Meta documents it for Instagram (https://developers.facebook.com/docs/instagram-platform/webhooks/examples/):
// { sender: { id: <IGSID> }, recipient: { id: <IG account> }, timestamp, read: { mid } }. Instagram
// names the message read; Messenger's `watermark` time is not sent for Instagram.
const readItemSchema = z.object({
  sender: party,
  timestamp: z.number().int().nonnegative(),
  read: z.object({ mid: z.string().min(1) }),
});

const reactionItemSchema = z.object({
  reaction: z.object({
    mid: z.string().optional(),
    action: z.string().optional(),
    reaction: z.string().optional(),
    emoji: z.string().optional(),
  }),
});

const editItemSchema = z.object({ message_edit: z.object({ mid: z.string().optional() }) });

type ItemResult = { ok: true; event: UncheckedInboundEvent } | { ok: false; error: z.ZodError };

/**
 * Normalizes an Instagram messaging webhook (already signature-checked) into per-account events;
 * `receivedAt` (when the webhook arrived) bounds the message times it believes.
 */
export function parseInstagramDelivery(body: unknown, receivedAt: Date): ParsedDelivery {
  return parseMetaDelivery(body, receivedAt, {
    channel: "instagram",
    object: "instagram",
    entrySchema,
    readEntry(entry, { rawEntry, add, reject }) {
      const accountId = entry.id;
      const events: LocatedEvent[] = [];
      (entry.messaging ?? []).forEach((item, position) => {
        const at = `messaging[${position}]`;
        const result = messagingEvent(accountId, item);
        if (result.ok) events.push({ at, event: result.event });
        else reject(issueReason(at, result.error));
      });
      (entry.changes ?? []).forEach((change, position) => {
        events.push({ at: `changes[${position}]`, event: noticeEvent(accountId, "unsupported", `change field ${change.field}`) });
      });
      add(accountId, rawEntry, events);
    },
  });
}

const itemShape = z.record(z.string(), z.unknown());

function messagingEvent(accountId: string, item: unknown): ItemResult {
  const shape = itemShape.safeParse(item);
  if (!shape.success) return { ok: false, error: shape.error };
  const kind = itemKind(Object.keys(shape.data));
  switch (kind) {
    case "message":
      return messageEvent(accountId, item);
    case "read": {
      const parsed = readItemSchema.safeParse(item);
      if (!parsed.success) return { ok: false, error: parsed.error };
      const { sender, timestamp, read } = parsed.data;
      return { ok: true, event: { kind: "read", accountId, leadExternalId: sender.id, providerMessageId: read.mid, status: "read", at: new Date(timestamp) } };
    }
    case "reaction": {
      const parsed = reactionItemSchema.safeParse(item);
      if (!parsed.success) return { ok: false, error: parsed.error };
      const { action, emoji, reaction, mid } = parsed.data.reaction;
      const detail = [action ?? "react", emoji ?? reaction, "on", mid ?? "unknown message"].filter(Boolean).join(" ");
      return { ok: true, event: noticeEvent(accountId, "reaction", detail) };
    }
    case "message_edit": {
      const parsed = editItemSchema.safeParse(item);
      if (!parsed.success) return { ok: false, error: parsed.error };
      return { ok: true, event: noticeEvent(accountId, "unsupported", `edit of ${parsed.data.message_edit.mid ?? "unknown message"}`) };
    }
    default:
      return { ok: true, event: noticeEvent(accountId, "unsupported", `messaging item with ${kind}`) };
  }
}

function itemKind(keys: string[]): string {
  const known = ["message", "read", "reaction", "message_edit"].find((key) => keys.includes(key));
  if (known) return known;
  const content = keys.filter((key) => !["sender", "recipient", "timestamp"].includes(key));
  return content.length > 0 ? `fields ${content.join(", ")}` : "no fields";
}

function messageEvent(accountId: string, item: unknown): ItemResult {
  const parsed = messageItemSchema.safeParse(item);
  if (!parsed.success) return { ok: false, error: parsed.error };
  const { sender, recipient, timestamp, message } = parsed.data;

  if (message.is_deleted) return { ok: true, event: noticeEvent(accountId, "unsupported", `deletion of ${message.mid}`) };

  const text = message.text ?? "";
  const attachments: InboundAttachment[] = (message.attachments ?? []).map((attachment) => ({
    type: attachment.type,
    url: attachment.payload?.url ?? null,
    providerMediaId: null,
    mimeType: null,
    fileName: null,
  }));
  const sentAt = new Date(timestamp);

  // Echoes are the business's own sends (ours or from the Instagram app): the lead is the recipient.
  if (message.is_echo) {
    return {
      ok: true,
      event: { kind: "echo", accountId, providerMessageId: message.mid, recipientExternalId: recipient.id, text, attachments, sentAt },
    };
  }
  if (message.is_unsupported || (text === "" && attachments.length === 0)) {
    return { ok: true, event: noticeEvent(accountId, "unsupported", `message ${message.mid} without text or attachments`) };
  }
  return {
    ok: true,
    event: {
      kind: "message",
      accountId,
      providerMessageId: message.mid,
      // Instagram webhooks carry no names; the profile can be fetched later with the account's token.
      sender: { externalId: sender.id, name: null, email: null, phone: null },
      text,
      attachments,
      sentAt,
      thread: null,
    },
  };
}

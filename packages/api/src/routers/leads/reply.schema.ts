import { z } from "zod";

export const replyInput = z.object({
  leadId: z.uuid(),
  channel: z.enum(["instagram", "whatsapp", "email", "sandbox"]),
  // The per-channel limit (OWNER_REPLY_MAX_CHARS) is checked by the handler; this bounds what is parsed at all.
  body: z.string().trim().min(1, { error: "Write a message first." }).max(10_000, { error: "Keep the message under 10,000 characters." }),
  /** Made by the page once per message: a double click or a retried request sends it once. */
  clientMessageId: z.uuid(),
});

export const replyChannelsInput = z.object({ leadId: z.uuid() });

export const retrySendInput = z.object({ messageId: z.uuid() });

export type ReplyInput = z.output<typeof replyInput>;
export type ReplyChannelsInput = z.output<typeof replyChannelsInput>;
export type RetrySendInput = z.output<typeof retrySendInput>;

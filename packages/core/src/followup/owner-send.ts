import { z } from "zod";
import type { OutboundChannel } from "./ports.ts";

// The owner's messages (the reply box, a deliberate retry): recorded by the API with beginSend,
// sent by one `owner:send` job per message, queued in the recording transaction.

export const OWNER_SEND_TASK = "owner:send";
export const ownerSendJobPayloadSchema = z.object({ userId: z.uuid(), messageId: z.uuid() });
export type OwnerSendJobPayload = z.infer<typeof ownerSendJobPayloadSchema>;
export const ownerSendJobKey = (messageId: string) => `${OWNER_SEND_TASK}:${messageId}`;

/**
 * The reply box's message: the client's id for it, so a double click or a retried request records
 * (and sends) once. The owner's id is part of it: keys are unique across tenants, and one owner's
 * id must never collide with (or find) another's message.
 */
export const ownerReplyIdempotencyKey = (userId: string, clientMessageId: string) => `owner:${userId}:${clientMessageId}`;
/** A deliberate retry of a failed or unconfirmed message: one per message, however often it is asked for. */
export const retryIdempotencyKey = (messageId: string) => `retry:${messageId}`;

/**
 * Longest reply the owner may send per channel (characters): Instagram's DM text limit is 1,000,
 * WhatsApp's text body 4,096; email and the sandbox get a generous cap so nothing unbounded is stored.
 */
export const OWNER_REPLY_MAX_CHARS: Record<OutboundChannel, number> = {
  instagram: 1000,
  whatsapp: 4096,
  email: 10_000,
  sandbox: 2000,
};

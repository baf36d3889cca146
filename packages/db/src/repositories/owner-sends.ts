import { ownerSendJobKey, OWNER_SEND_TASK, retryIdempotencyKey, type OutboundChannel, type OwnerSendJobPayload } from "@audnix/core";
import type pg from "pg";
import type { Db } from "../client.ts";
import type { DeliveryStatus, MessageAuthor } from "../generated/prisma/enums.ts";
import { beginSend, type BeginSendResult } from "./follow-ups.ts";

// The owner's sends (docs/decisions/0025): recorded through the engine's beginSend (same
// idempotency key column, same pending -> sent/unconfirmed/failed states) with the owner:send job
// queued in the recording transaction, so a recorded message always has its job and a repeat
// (double click, retried request) neither records nor queues a second one.

async function queueOwnerSend(client: pg.ClientBase, userId: string, messageId: string): Promise<void> {
  const payload: OwnerSendJobPayload = { userId, messageId };
  await client.query("SELECT graphile_worker.add_job($1, $2::json, job_key := $3)", [OWNER_SEND_TASK, JSON.stringify(payload), ownerSendJobKey(messageId)]);
}

export interface RecordOwnerSendInput {
  userId: string;
  leadId: string;
  idempotencyKey: string;
  channel: OutboundChannel;
  body: string;
  /** mode ("text" | "template"), as the engine keeps it. */
  metadata: Record<string, unknown>;
  now: Date;
}

/** Records the owner's reply (author owner, pending) and queues its send, once per idempotency key. */
export function recordOwnerSend(db: Db, input: RecordOwnerSendInput): Promise<BeginSendResult> {
  return beginSend(db, { ...input, author: "owner", onCreated: (client, messageId) => queueOwnerSend(client, input.userId, messageId) });
}

export type RetrySendRefusal = "not_found" | "not_retryable";

const REFUSALS: Record<RetrySendRefusal, string> = {
  not_found: "Message not found.",
  not_retryable: "Only a message that failed or whose delivery is unconfirmed can be sent again.",
};

/** A retry the message's state does not allow; the message is safe to show as is. */
export class RetrySendError extends Error {
  override name = "RetrySendError";
  readonly reason: RetrySendRefusal;
  constructor(reason: RetrySendRefusal) {
    super(REFUSALS[reason]);
    this.reason = reason;
  }
}

/**
 * The owner sends a failed or unconfirmed message (theirs or the AI's) again, deliberately: a new
 * row under the key retry:<id>, with the same text, channel and author, and its job; the original
 * is marked retried_at in the same transaction. Asking again returns the same retry.
 */
export async function retryFailedSend(db: Db, input: { userId: string; messageId: string; now: Date }): Promise<{ messageId: string; created: boolean }> {
  const original = await db.asUser(input.userId, (tx) =>
    tx.message.findUnique({
      where: { id: input.messageId },
      select: { id: true, leadId: true, direction: true, author: true, followUpStep: true, channel: true, body: true, attachments: true, metadata: true, deliveryStatus: true },
    }),
  );
  if (!original || original.direction !== "outbound") throw new RetrySendError("not_found");
  const idempotencyKey = retryIdempotencyKey(original.id);
  const retryable = original.deliveryStatus === "failed" || original.deliveryStatus === "unconfirmed";
  if (!retryable || (original.author !== "ai" && original.author !== "owner")) throw new RetrySendError("not_retryable");
  const author = original.author === "ai" ? { author: "ai" as const, followUpStep: original.followUpStep } : { author: "owner" as const };
  const result = await beginSend(db, {
    ...author,
    userId: input.userId,
    leadId: original.leadId,
    idempotencyKey,
    channel: original.channel,
    body: original.body,
    attachments: Array.isArray(original.attachments) ? original.attachments : [],
    metadata: typeof original.metadata === "object" && original.metadata !== null ? (original.metadata as Record<string, unknown>) : {},
    now: input.now,
    onCreated: async (client, messageId) => {
      await client.query("UPDATE messages SET retried_at = $3 WHERE id = $1::uuid AND user_id = $2::uuid", [original.id, input.userId, input.now]);
      await queueOwnerSend(client, input.userId, messageId);
    },
  });
  return { messageId: result.messageId, created: result.created };
}

export interface OwnerSendRow {
  id: string;
  idempotencyKey: string | null;
  leadId: string;
  channel: OutboundChannel;
  author: MessageAuthor;
  body: string;
  attachments: unknown;
  metadata: unknown;
  deliveryStatus: DeliveryStatus | null;
}

/** The message an owner:send job sends; null when it is gone (the lead was deleted). */
export function loadOwnerSend(db: Db, input: OwnerSendJobPayload): Promise<OwnerSendRow | null> {
  return db.asUser(input.userId, (tx) =>
    tx.message.findUnique({
      where: { id: input.messageId },
      select: { id: true, idempotencyKey: true, leadId: true, channel: true, author: true, body: true, attachments: true, metadata: true, deliveryStatus: true },
    }),
  );
}

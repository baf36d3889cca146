import { reachedTheLead, type OutboundChannel } from "@audnix/core";
import type { Db } from "../client.ts";
import type { DeliveryStatus, MessageDirection } from "../generated/prisma/enums.ts";

// A lead's conversation as the follow-up prompt reads it (the newest rows, trimmed to the token
// window in core) and its rolling summary in semantic_memory (docs/decisions/0024). Every call runs
// as the owner, so row-level security applies.

export interface ConversationMessage {
  id: string;
  direction: MessageDirection;
  channel: OutboundChannel;
  body: string;
  sentAt: Date;
  deliveryStatus: DeliveryStatus | null;
}

export interface ConversationSummary {
  content: string;
  /** sent_at of the newest message folded in. */
  coversUntil: Date;
  messageCount: number;
  updatedAt: Date;
}

export interface LoadedConversation {
  /** Oldest first: the newest `limit` messages of the lead that reached them (reachedTheLead). */
  messages: ConversationMessage[];
  /** sent_at of the newest message older than those loaded; null when they are the whole conversation. */
  earlierAt: Date | null;
  summary: ConversationSummary | null;
}

const messageSelect = { id: true, direction: true, channel: true, body: true, sentAt: true, deliveryStatus: true } as const;

/** The newest `limit` messages of the lead and its summary, in one transaction. */
export async function loadConversation(db: Db, input: { userId: string; leadId: string; limit: number }): Promise<LoadedConversation> {
  return db.asUser(input.userId, async (tx) => {
    const rows = await tx.message.findMany({
      where: { leadId: input.leadId },
      orderBy: [{ sentAt: "desc" }, { id: "desc" }],
      take: input.limit + 1,
      select: messageSelect,
    });
    const summary = await tx.semanticMemory.findUnique({
      where: { leadId_kind: { leadId: input.leadId, kind: "conversation_summary" } },
      select: { content: true, coversUntil: true, messageCount: true, updatedAt: true },
    });
    const loaded = rows.slice(0, input.limit);
    return {
      messages: loaded.filter(reachedTheLead).reverse() as ConversationMessage[],
      earlierAt: rows[input.limit]?.sentAt ?? null,
      summary,
    };
  });
}

export interface MessagesToSummarize {
  /** Oldest first; failed sends left out (they never reached the lead). */
  messages: ConversationMessage[];
  /** sent_at of the newest row read (a failed send included): where the summary covers up to after this batch. */
  coversUntil: Date | null;
  /** Rows read, failed sends included. */
  rowsRead: number;
  /** More rows wait between this batch and `before`. */
  more: boolean;
}

/** The lead's messages after `after` (exclusive; null: from the start) and before `before` (exclusive), at most `limit`. */
export async function loadMessagesToSummarize(
  db: Db,
  input: { userId: string; leadId: string; after: Date | null; before: Date; limit: number },
): Promise<MessagesToSummarize> {
  const rows = await db.asUser(input.userId, (tx) =>
    tx.message.findMany({
      where: { leadId: input.leadId, sentAt: { ...(input.after ? { gt: input.after } : {}), lt: input.before } },
      orderBy: [{ sentAt: "asc" }, { id: "asc" }],
      take: input.limit + 1,
      select: messageSelect,
    }),
  );
  let batch = rows.slice(0, input.limit);
  const next = rows[input.limit];
  if (next) {
    // The next run reads after this batch's last time: a batch cut between two messages of the
    // same millisecond would skip the second one forever, so it ends before that time instead.
    const lastBefore = batch.findLastIndex((row) => row.sentAt.getTime() !== next.sentAt.getTime());
    if (lastBefore >= 0) batch = batch.slice(0, lastBefore + 1);
  }
  return {
    messages: batch.filter(reachedTheLead) as ConversationMessage[],
    coversUntil: batch.at(-1)?.sentAt ?? null,
    rowsRead: batch.length,
    more: rows.length > input.limit,
  };
}

export interface SaveConversationSummaryInput {
  userId: string;
  leadId: string;
  /** The coversUntil this run read (null: no summary yet): a summary moved on meanwhile is not overwritten. */
  expectedCoversUntil: Date | null;
  content: string;
  coversUntil: Date;
  /** Messages folded in by this run. */
  addedMessages: number;
  embedding: { model: string; vector: number[] } | null;
  now: Date;
}

/**
 * Writes the lead's summary, one row per lead: inserts the first, replaces it only when it still
 * covers what this run read (two runs that raced: the later one changes nothing and says so). The
 * owner comes from the lead row itself, read under row-level security, so a lead of another owner
 * (or one deleted meanwhile) gets nothing written ("stale").
 */
export async function saveConversationSummary(db: Db, input: SaveConversationSummaryInput): Promise<"saved" | "stale"> {
  const vector = input.embedding?.vector ?? [];
  const model = input.embedding?.model ?? null;
  const written = await db.asUser(input.userId, (tx) =>
    tx.$executeRaw`
      INSERT INTO semantic_memory (user_id, lead_id, kind, content, embedding, embedding_model, covers_until, message_count, created_at, updated_at, last_accessed_at)
      SELECT l.user_id, l.id, 'conversation_summary', ${input.content}, ${vector}::real[], ${model},
             ${input.coversUntil}, ${input.addedMessages}, ${input.now}, ${input.now}, ${input.now}
        FROM leads l
       WHERE l.id = ${input.leadId}::uuid
      ON CONFLICT (lead_id, kind) DO UPDATE
         SET content = EXCLUDED.content,
             embedding = EXCLUDED.embedding,
             embedding_model = EXCLUDED.embedding_model,
             covers_until = EXCLUDED.covers_until,
             message_count = semantic_memory.message_count + EXCLUDED.message_count,
             updated_at = EXCLUDED.updated_at
       WHERE ${input.expectedCoversUntil}::timestamptz IS NOT NULL
         AND semantic_memory.covers_until = ${input.expectedCoversUntil}::timestamptz`,
  );
  return written > 0 ? "saved" : "stale";
}

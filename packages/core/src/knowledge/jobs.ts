import { z } from "zod";

export const KNOWLEDGE_INGEST_TASK = "knowledge:ingest";

/**
 * knowledge:ingest indexes one document, one batch of chunks per run: a run writes its batch and
 * queues the next (fromChunk), so a 200-page document takes turns with every other job. indexHash
 * ties a continuation to the input it started from.
 */
export const knowledgeIngestPayloadSchema = z.object({
  userId: z.uuid(),
  documentId: z.uuid(),
  fromChunk: z.number().int().min(0).default(0),
  indexHash: z.string().regex(/^[0-9a-f]{64}$/).optional(),
});

export type KnowledgeIngestPayload = z.input<typeof knowledgeIngestPayloadSchema>;

/**
 * One queue per owner: an owner's documents index one at a time (a re-index never races the run
 * it replaces) and one owner's big upload occupies at most one worker.
 */
export function knowledgeQueueName(userId: string): string {
  return `knowledge:${userId}`;
}

export function knowledgeIngestJobKey(documentId: string): string {
  return `knowledge:ingest:${documentId}`;
}

/** Bumped when chunking or indexing changes, so every document re-indexes once. */
export const KNOWLEDGE_INDEX_VERSION = 1;

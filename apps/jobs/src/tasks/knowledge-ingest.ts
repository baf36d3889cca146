import { EmbeddingError, embeddingFailureIsFinal, KNOWLEDGE_FAILURE_NOTES, knowledgeIngestPayloadSchema } from "@audnix/core";
import { markKnowledgeFailed, runKnowledgeIngestStep } from "@audnix/db";
import { defineTask } from "./define-task.ts";

/**
 * Indexes one batch of a knowledge document per run and queues the next in the same
 * transaction (docs/decisions/0018); the last batch marks the document ready.
 */
export const knowledgeIngestTask = defineTask(knowledgeIngestPayloadSchema, async (payload, { deps, logger, helpers }) => {
  const ref = { userId: payload.userId, documentId: payload.documentId };
  try {
    const step = await runKnowledgeIngestStep(deps.db, deps.embedder ?? null, payload);
    if (step.outcome === "empty") await markKnowledgeFailed(deps.db, ref, KNOWLEDGE_FAILURE_NOTES.empty);
    logger.info("knowledge ingest step", {
      documentId: payload.documentId,
      fromChunk: payload.fromChunk,
      outcome: step.outcome,
      ...(step.outcome === "ready" ? { chunks: step.chunks } : {}),
    });
  } catch (error) {
    const lastAttempt = helpers.job.attempts >= helpers.job.max_attempts;
    if (error instanceof EmbeddingError && embeddingFailureIsFinal(error.reason)) {
      const note = error.reason === "unauthorized" ? KNOWLEDGE_FAILURE_NOTES.embeddingUnauthorized : KNOWLEDGE_FAILURE_NOTES.embeddingRejected;
      await markKnowledgeFailed(deps.db, ref, note);
      logger.warn("knowledge ingest failed", { documentId: payload.documentId, reason: error.reason });
      return;
    }
    // Anything else may pass (a rate limit, a restart): graphile-worker retries with backoff, and
    // the owner hears of it only when the retries are spent.
    if (lastAttempt) await markKnowledgeFailed(deps.db, ref, KNOWLEDGE_FAILURE_NOTES.gaveUp);
    throw error;
  }
});

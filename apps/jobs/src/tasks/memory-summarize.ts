import {
  EmbeddingError,
  FOLLOW_UP_POLICY,
  historyWindow,
  MEMORY_SUMMARIZE_TASK,
  memorySummarizeJobKey,
  memorySummarizePayloadSchema,
  summarizeConversation,
  summaryIsBehind,
  SUMMARY_BATCH_MESSAGES,
  type Embedder,
  type Logger,
} from "@audnix/core";
import { getBrandSettings, loadConversation, loadMessagesToSummarize, saveConversationSummary } from "@audnix/db";
import { defineTask } from "./define-task.ts";

/**
 * Folds the lead's messages that left the prompt's window into its rolling summary
 * (docs/decisions/0024): the same load and the same core window as the prompt find the boundary,
 * then at most SUMMARY_BATCH_MESSAGES of what lies between the summary and the window are folded in
 * per run (a longer backlog queues the next run). Nothing new to fold: nothing is called or written,
 * so running it again is a no-op.
 */
export const memorySummarizeTask = defineTask(memorySummarizePayloadSchema, async (payload, { deps, logger, helpers }) => {
  const conversation = await loadConversation(deps.db, { ...payload, limit: FOLLOW_UP_POLICY.historyRowsLoaded });
  const { window, older } = historyWindow(conversation.messages);
  const windowStart = window[0]?.sentAt;
  const previous = conversation.summary;
  if (!windowStart || !summaryIsBehind({ olderNewestAt: older.at(-1)?.sentAt ?? conversation.earlierAt, coversUntil: previous?.coversUntil ?? null })) {
    logger.info("conversation summary is up to date", { leadId: payload.leadId });
    return;
  }

  const batch = await loadMessagesToSummarize(deps.db, {
    ...payload,
    after: previous?.coversUntil ?? null,
    before: windowStart,
    limit: SUMMARY_BATCH_MESSAGES,
  });
  if (!batch.coversUntil) return;
  const brand = await getBrandSettings(deps.db, { userId: payload.userId });
  const summary = await summarizeConversation({
    brandName: brand.brandName ?? "our team",
    previous: previous?.content ?? null,
    messages: batch.messages,
    generator: deps.followUpServices.generator,
  });
  const embedding = summary.text ? await embedSummary(deps.embedder ?? null, summary.text, logger) : null;
  const saved = await saveConversationSummary(deps.db, {
    ...payload,
    expectedCoversUntil: previous?.coversUntil ?? null,
    content: summary.text,
    coversUntil: batch.coversUntil,
    addedMessages: batch.rowsRead,
    embedding,
    now: deps.now(),
  });
  logger.info("conversation summary folded", { leadId: payload.leadId, source: summary.source, messages: batch.rowsRead, saved, more: batch.more });
  if (saved === "saved" && batch.more) {
    await helpers.addJob(MEMORY_SUMMARIZE_TASK, payload, { jobKey: memorySummarizeJobKey(payload.leadId) });
  }
});

/**
 * The summary's embedding, or null without an embedder. An embedding that fails is left out (the
 * summary still reaches the prompt, which reads it by lead, not by similarity); the next fold tries again.
 */
async function embedSummary(embedder: Embedder | null, text: string, logger: Logger): Promise<{ model: string; vector: number[] } | null> {
  if (!embedder) return null;
  try {
    const [vector] = await embedder.embed([text]);
    return vector ? { model: embedder.model, vector } : null;
  } catch (error) {
    if (!(error instanceof EmbeddingError)) throw error;
    logger.warn("conversation summary saved without its embedding", { reason: error.reason });
    return null;
  }
}

import { extractLeadFacts, leadFactsJobPayloadSchema, type LeadFactsJobPayload } from "@audnix/core";
import { factMessage, saveExtractedFacts, unextractedFactMessages, type FactMessage, type SaveFactsResult } from "@audnix/db";
import { defineTask, type TaskDeps } from "./define-task.ts";

// Lead memory (docs/decisions/0022): each inbound message is read for facts once. Capture queues
// lead:facts per message; the reply job reads what is still unread before it drafts.

/** The most unread messages the reply job reads before drafting: a burst of messages is a few, and older ones have their own jobs. */
const REPLY_READS_AT_MOST = 10;

async function readAndSave(deps: TaskDeps, userId: string, message: FactMessage): Promise<SaveFactsResult> {
  const facts = await extractLeadFacts(message.body, { generator: message.leadBlocked ? null : deps.followUpServices.generator });
  return saveExtractedFacts(deps.db, { userId, message, facts, now: deps.now() });
}

/**
 * Reads one inbound message for facts and stores them (filling the lead's empty email or phone).
 * Null when the message is gone, not this lead's, or already read. The lead:facts job runs this;
 * other jobs may call it too (idempotent per message).
 */
export async function extractFactsOfMessage(deps: TaskDeps, payload: LeadFactsJobPayload): Promise<SaveFactsResult | null> {
  const message = await factMessage(deps.db, payload);
  return message ? readAndSave(deps, payload.userId, message) : null;
}

/** Reads the lead's inbound messages not yet read for facts, so a draft sees what they say. */
export async function extractUnreadFacts(deps: TaskDeps, ref: { userId: string; leadId: string }): Promise<void> {
  const messages = await unextractedFactMessages(deps.db, { ...ref, limit: REPLY_READS_AT_MOST });
  for (const message of messages) await readAndSave(deps, ref.userId, message);
}

export const leadFactsTask = defineTask(leadFactsJobPayloadSchema, async (payload, run) => {
  const result = await extractFactsOfMessage(run.deps, payload);
  // Counts only: facts are personal data and stay out of logs.
  if (result?.outcome === "saved") {
    run.logger.info("lead facts saved", { added: result.added, replaced: result.replaced, filled: result.filled });
  }
});

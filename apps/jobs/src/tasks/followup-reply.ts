import { replyJobPayloadSchema } from "@audnix/core";
import { readReplyDue, settleReplyDue } from "@audnix/db";
import { z } from "zod";
import { defineTask } from "./define-task.ts";
import { runFollowUp } from "./followup-engine.ts";
import { extractUnreadFacts } from "./lead-facts.ts";

// Capture enqueues { leadId, userId } after the debounce; the engine re-queues the job once with
// humanDelayApplied after a human-like delay (docs/decisions/0011).
const payloadSchema = replyJobPayloadSchema.extend({ humanDelayApplied: z.boolean().optional() });

/** Answers the lead's latest message: opt-out check, policy, draft, send, plan step 1. */
export const followUpReplyTask = defineTask(payloadSchema, async (payload, run) => {
  const { userId, leadId } = payload;
  const seenDueAt = await readReplyDue(run.deps.db, { userId, leadId });
  // The facts of the messages it answers, should their own lead:facts jobs not have run yet.
  await extractUnreadFacts(run.deps, { userId, leadId });
  await runFollowUp({ kind: "reply", userId, leadId, humanDelayApplied: payload.humanDelayApplied ?? false }, run);
  // Settled: the lead page stops saying a reply is being prepared. A run that throws is retried
  // by graphile-worker, so the reply is still on its way and the mark stays.
  await settleReplyDue(run.deps.db, { userId, leadId, seenDueAt });
});

import { replyJobPayloadSchema } from "@audnix/core";
import { z } from "zod";
import { defineTask } from "./define-task.ts";
import { runFollowUp } from "./followup-engine.ts";

// Capture enqueues { leadId, userId } after the debounce; the engine re-queues the job once with
// humanDelayApplied after a human-like delay (docs/decisions/0011).
const payloadSchema = replyJobPayloadSchema.extend({ humanDelayApplied: z.boolean().optional() });

/** Answers the lead's latest message: opt-out check, policy, draft, send, plan step 1. */
export const followUpReplyTask = defineTask(payloadSchema, (payload, run) =>
  runFollowUp({ kind: "reply", userId: payload.userId, leadId: payload.leadId, humanDelayApplied: payload.humanDelayApplied ?? false }, run),
);

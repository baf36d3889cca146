import { z } from "zod";

// The per-message facts job: capture queues one for each new inbound message (its key is the
// message's, so a redelivered message queues nothing new); the reply job also runs the same
// extraction for messages not yet done, so a draft sees the facts of the message it answers.

export const LEAD_FACTS_TASK = "lead:facts";
export const LEAD_FACTS_JOB_KEY_PREFIX = `${LEAD_FACTS_TASK}:`;
export const leadFactsJobPayloadSchema = z.object({ userId: z.uuid(), leadId: z.uuid(), messageId: z.uuid() });
export type LeadFactsJobPayload = z.infer<typeof leadFactsJobPayloadSchema>;
export const leadFactsJobKey = (messageId: string) => `${LEAD_FACTS_JOB_KEY_PREFIX}${messageId}`;

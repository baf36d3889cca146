import { z } from "zod";

// memory:summarize folds the messages that left a lead's prompt window into its rolling summary
// (docs/decisions/0024). One job per lead: queued again while one waits, it stays one.

export const MEMORY_SUMMARIZE_TASK = "memory:summarize";

export const memorySummarizePayloadSchema = z.object({ userId: z.uuid(), leadId: z.uuid() });

export type MemorySummarizePayload = z.infer<typeof memorySummarizePayloadSchema>;

export const memorySummarizeJobKey = (leadId: string) => `${MEMORY_SUMMARIZE_TASK}:${leadId}`;

/** Messages folded in per run at most: a long backlog takes several runs, each one model call. */
export const SUMMARY_BATCH_MESSAGES = 60;

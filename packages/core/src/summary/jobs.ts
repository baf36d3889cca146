import { z } from "zod";
import { weekStartSchema } from "./week.ts";

// The weekly summary's jobs (docs/decisions/0032). The scheduler (cron, every 15 minutes: zones
// are up to 45 minutes off the hour) queues one summary:weekly job per owner whose Monday 08:00
// has passed; "Send me this week's summary now" queues summary:now.

export const WEEKLY_SUMMARY_SCHEDULE_TASK = "summaries:schedule";
export const WEEKLY_SUMMARY_TASK = "summary:weekly";
export const SUMMARY_NOW_TASK = "summary:now";

export const weeklySummaryPayloadSchema = z.object({ userId: z.uuid(), weekStart: weekStartSchema });
export type WeeklySummaryPayload = z.infer<typeof weeklySummaryPayloadSchema>;

/** One job per owner and week: the scheduler queueing it again while it waits (two workers' crons) keeps one. */
export const weeklySummaryJobKey = (userId: string, weekStart: string) => `summary:${userId}:${weekStart}`;

export const summaryNowPayloadSchema = z.object({ userId: z.uuid(), summaryId: z.uuid(), revision: z.number().int().min(1) });
export type SummaryNowPayload = z.infer<typeof summaryNowPayloadSchema>;

export const summaryNowJobKey = (summaryId: string, revision: number) => `${SUMMARY_NOW_TASK}:${summaryId}:${revision}`;

/** The email's idempotency key (its Message-ID): one per summary revision. */
export const summaryEmailKey = (summaryId: string, revision: number) => `summary:${summaryId}:${revision}`;

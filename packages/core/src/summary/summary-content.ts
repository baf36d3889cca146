// What one summary said: a snapshot written once when it is made and never updated, so it is
// stored as one document (weekly_summaries.content) and checked with this schema on every read
// (docs/decisions/0032).
import { z } from "zod";

const count = z.number().int().min(0);
// Not capped at 1: conversions of older leads over this period's new leads can exceed them.
const rate = z.number().min(0).nullable();

/** A figure of the summary's period beside the same figure of the period before. */
const countPair = z.object({ current: count, previous: count });
const ratePair = z.object({ current: rate, previous: rate });

export const summaryNumbersSchema = z.object({
  newLeads: countPair,
  messagesIn: countPair,
  /** AI replies and AI follow-ups sent. */
  aiMessages: countPair,
  conversions: countPair,
  optOuts: countPair,
  /** AI messages the lead answered / AI messages sent. */
  replyRate: ratePair,
  /** Conversions / new leads. */
  conversionRate: ratePair,
  conversionValues: z.array(z.object({ currency: z.string().length(3), current: count, previous: count })).max(20),
  /** Leads flagged "Needs you" when the summary was made. */
  waitingForOwner: count,
});
export type SummaryNumbers = z.output<typeof summaryNumbersSchema>;

export const summaryQuestionSchema = z.object({
  /** One lead's words for the question, as asked (capped). */
  example: z.string().max(200),
  /** How many inbound messages asked it. */
  count: count,
});
export type SummaryQuestion = z.output<typeof summaryQuestionSchema>;

export const summaryStepSchema = z.object({
  /** 0: the AI's reply to a lead's message; 1..: follow-up steps. */
  step: z.number().int().min(0),
  sent: count,
  answered: count,
  rate: z.number().min(0).max(1),
});
export type SummaryStep = z.output<typeof summaryStepSchema>;

export const summaryContentSchema = z.object({
  version: z.literal(1),
  /** The owner's brand name when the summary was made (the subject line names it). */
  brandName: z.string().max(200).nullable(),
  period: z.object({ from: z.string().max(10), to: z.string().max(10), timeZone: z.string().max(64) }),
  numbers: summaryNumbersSchema,
  topQuestions: z.array(summaryQuestionSchema).max(10),
  leadsNeedingOwner: z.object({
    total: count,
    leads: z.array(z.object({ leadId: z.uuid(), name: z.string().max(200) })).max(10),
  }),
  bestStep: summaryStepSchema.nullable(),
  narrative: z.object({ text: z.string().max(2_000), writtenBy: z.enum(["model", "template"]) }),
});
export type SummaryContent = z.output<typeof summaryContentSchema>;

/** The stored document, or null when it is not one this code can read (never shown half-parsed). */
export function readSummaryContent(stored: unknown): SummaryContent | null {
  const parsed = summaryContentSchema.safeParse(stored);
  return parsed.success ? parsed.data : null;
}

// The summary's highlights, from rows the job reads: the questions leads asked most and the step
// whose messages leads answered most.
import { looksLikeQuestion, questionTerms } from "../followup/knowledge-answer.ts";
import type { SummaryQuestion, SummaryStep } from "./summary-content.ts";

export const SUMMARY_LIMITS = {
  /** Inbound messages of the week read for questions (newest first). */
  messagesRead: 2_000,
  /** Characters of each message read (before any pattern runs). */
  messageChars: 500,
  /** Characters of the example shown for a question. */
  exampleChars: 200,
  topQuestions: 5,
  leadsNeedingOwner: 5,
  /** A step needs this many AI messages before its rate can be "the best". */
  bestStepMinSent: 3,
} as const;

/**
 * Inbound texts that ask something, grouped by their search words (order, case, accents and
 * framing words ignored: "How much is it?" and "how much is it" are one question), most asked
 * first, at most SUMMARY_LIMITS.topQuestions. Ties keep the question asked first.
 */
export function topQuestions(texts: readonly string[]): SummaryQuestion[] {
  const groups = new Map<string, { example: string; count: number; first: number }>();
  texts.slice(0, SUMMARY_LIMITS.messagesRead).forEach((raw, index) => {
    const text = raw.slice(0, SUMMARY_LIMITS.messageChars).trim();
    if (text === "" || !looksLikeQuestion(text)) return;
    const terms = questionTerms(text);
    if (terms.length === 0) return;
    const key = [...terms].sort().join(" ");
    const group = groups.get(key);
    if (group) group.count += 1;
    else groups.set(key, { example: text.slice(0, SUMMARY_LIMITS.exampleChars), count: 1, first: index });
  });
  return [...groups.values()]
    .sort((a, b) => b.count - a.count || a.first - b.first)
    .slice(0, SUMMARY_LIMITS.topQuestions)
    .map(({ example, count }) => ({ example, count }));
}

/** The step whose AI messages leads answered most often (at least bestStepMinSent sent); ties: the earlier step. */
export function bestStep(steps: readonly { step: number; sent: number; answered: number }[]): SummaryStep | null {
  let best: SummaryStep | null = null;
  for (const { step, sent, answered } of steps) {
    if (sent < SUMMARY_LIMITS.bestStepMinSent) continue;
    const rate = Math.min(1, answered / sent);
    if (best === null || rate > best.rate || (rate === best.rate && step < best.step)) best = { step, sent, answered, rate };
  }
  return best;
}

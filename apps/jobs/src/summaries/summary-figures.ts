import type { SummaryNumbers } from "@audnix/core";
import { loadAnalyticsOverview, loadAnalyticsSeries, type Db } from "@audnix/db";

export interface SummaryFigures {
  numbers: SummaryNumbers;
  /** Per follow-up step of the period: AI messages sent and answered (for the best step). */
  steps: Array<{ step: number; sent: number; answered: number }>;
}

/**
 * The summary's numbers are the dashboard's own (its overview and per-step series for the same
 * local days `from`..`to`, beside the period of the same length before), so email and dashboard agree.
 */
export async function loadSummaryFigures(db: Db, input: { userId: string; from: string; to: string; now: Date }): Promise<SummaryFigures> {
  const range = { from: input.from, to: input.to };
  const [overview, series] = await Promise.all([
    loadAnalyticsOverview(db, input.userId, range, { now: input.now }),
    loadAnalyticsSeries(db, input.userId, range, { now: input.now }),
  ]);
  const { counts, rates } = overview;
  const pair = (figure: { current: number; previous: number }) => ({ current: figure.current, previous: figure.previous });
  return {
    numbers: {
      newLeads: pair(counts.newLeads),
      messagesIn: pair(counts.messagesIn),
      aiMessages: { current: counts.aiReplies.current + counts.aiFollowUps.current, previous: counts.aiReplies.previous + counts.aiFollowUps.previous },
      conversions: pair(counts.conversions),
      optOuts: pair(counts.optOuts),
      replyRate: { current: rates.reply.current, previous: rates.reply.previous },
      conversionRate: { current: rates.conversion.current, previous: rates.conversion.previous },
      conversionValues: overview.conversionValues,
      waitingForOwner: overview.waitingForOwner,
    },
    steps: series.replyRateByStep.map(({ step, sent, answered }) => ({ step, sent, answered })),
  };
}

import { buildOverview, previousPeriod, resolveAnalyticsPeriod, sumSteps, type SummaryNumbers } from "@audnix/core";
import { readAnalyticsRollups, type Db } from "@audnix/db";

export interface SummaryFigures {
  numbers: SummaryNumbers;
  /** Per follow-up step of the period: AI messages sent and answered (for the best step). */
  steps: Array<{ step: number; sent: number; answered: number }>;
}

/**
 * The summary's numbers: the dashboard's own (core buildOverview over the same rollups), for local
 * days `from`..`to` beside the period of the same length before it.
 */
export async function loadSummaryFigures(
  db: Db,
  input: { userId: string; from: string; to: string; timeZone: string; now: Date; waitingForOwner: number },
): Promise<SummaryFigures> {
  const resolved = resolveAnalyticsPeriod({ from: input.from, to: input.to }, { now: input.now, timeZone: input.timeZone });
  if (!resolved.ok) throw new Error(`summary period refused: ${resolved.problem}`);
  const period = resolved.period;
  const before = previousPeriod(period);
  const [current, previous] = await Promise.all([
    readAnalyticsRollups(db, input.userId, { from: period.from, to: period.to }),
    readAnalyticsRollups(db, input.userId, { from: before.from, to: before.to }),
  ]);
  const overview = buildOverview({ period, previousPeriod: before, current: current.figures, previous: previous.figures, waitingForOwner: input.waitingForOwner });
  const pair = (figure: { current: number; previous: number }) => ({ current: figure.current, previous: figure.previous });
  const { counts, rates } = overview;
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
    steps: sumSteps(current.figures.steps),
  };
}

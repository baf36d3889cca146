// The charts' data: one point per day of the period (zero on a quiet day, so no axis has holes).
import { ANALYTICS_CHANNELS, ratio, sumCounts, sumSteps, type AnalyticsChannel, type DailyCounts, type DayChannelFigures, type PeriodFigures } from "./figures.ts";
import type { LocalDate } from "./local-days.ts";
import type { AnalyticsPeriod } from "./range.ts";

export type DailyPoint = { date: LocalDate } & DailyCounts;
export type ChannelPoint = { date: LocalDate } & Record<AnalyticsChannel, number>;

export interface StepReplyRate {
  step: number;
  sent: number;
  answered: number;
  rate: number | null;
}

export interface AnalyticsSeries {
  /** Every day of the period, all channels together. */
  daily: DailyPoint[];
  /** New leads per day and channel. */
  newLeadsByChannel: ChannelPoint[];
  /** Reply rate per follow-up step (0: the AI's reply to the lead's message). */
  replyRateByStep: StepReplyRate[];
}

export function buildSeries(period: AnalyticsPeriod, figures: PeriodFigures): AnalyticsSeries {
  const rowsByDate = new Map<LocalDate, DayChannelFigures[]>();
  for (const row of figures.days) rowsByDate.set(row.date, [...(rowsByDate.get(row.date) ?? []), row]);
  const daily = period.days.map(({ date }) => ({ date, ...sumCounts(rowsByDate.get(date) ?? []) }));
  const newLeadsByChannel = period.days.map(({ date }) => {
    const point = { date, ...Object.fromEntries(ANALYTICS_CHANNELS.map((channel) => [channel, 0])) } as ChannelPoint;
    for (const row of rowsByDate.get(date) ?? []) point[row.channel] += row.newLeads;
    return point;
  });
  const replyRateByStep = sumSteps(figures.steps).map((step) => ({ ...step, rate: ratio(step.answered, step.sent) }));
  return { daily, newLeadsByChannel, replyRateByStep };
}

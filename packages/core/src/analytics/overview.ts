// The dashboard's tiles: each figure of the chosen period beside the previous period's.
import { comparePeriods, periodHistogram, ratio, sumConversionValues, sumCounts, sumSteps, type Comparison, type CurrencyTotal, type DailyCountKey, type PeriodFigures } from "./figures.ts";
import type { AnalyticsPeriod } from "./range.ts";
import { percentileFromHistogram, type PercentileBound } from "./response-histogram.ts";

export interface CountFigure {
  current: number;
  previous: number;
  comparison: Comparison | null;
}

export interface RateFigure {
  /** 0..1, or null when nothing could be counted (no AI message, no new lead). */
  current: number | null;
  previous: number | null;
  comparison: Comparison | null;
}

export interface PercentileFigure {
  current: PercentileBound | null;
  previous: PercentileBound | null;
}

export interface ConversionValueFigure {
  currency: string;
  current: number;
  previous: number;
}

export interface AnalyticsOverview {
  period: { from: string; to: string; timeZone: string };
  previousPeriod: { from: string; to: string };
  counts: Record<DailyCountKey, CountFigure>;
  rates: {
    /** AI messages the lead answered / AI messages sent (replies and follow-ups). */
    reply: RateFigure;
    /** Conversions in the period / new leads in the period. */
    conversion: RateFigure;
    /** Opt-outs in the period / new leads in the period. */
    optOut: RateFigure;
  };
  firstResponse: { p50: PercentileFigure; p90: PercentileFigure };
  conversionValues: ConversionValueFigure[];
  /** Leads flagged "Needs you" now (a state, not a period figure). */
  waitingForOwner: number;
  /** false for an account that has nothing in either period: the dashboard shows its empty state. */
  hasData: boolean;
}

interface Totals {
  counts: Record<DailyCountKey, number>;
  answered: number;
  aiSent: number;
  histogram: number[];
  values: CurrencyTotal[];
}

function totalsOf(figures: PeriodFigures): Totals {
  const steps = sumSteps(figures.steps);
  return {
    counts: sumCounts(figures.days),
    answered: steps.reduce((sum, step) => sum + step.answered, 0),
    aiSent: steps.reduce((sum, step) => sum + step.sent, 0),
    histogram: periodHistogram(figures),
    values: sumConversionValues(figures.conversionValues),
  };
}

function rateFigure(current: number | null, previous: number | null): RateFigure {
  return { current, previous, comparison: comparePeriods(current, previous) };
}

export function buildOverview(input: {
  period: AnalyticsPeriod;
  previousPeriod: AnalyticsPeriod;
  current: PeriodFigures;
  previous: PeriodFigures;
  waitingForOwner: number;
}): AnalyticsOverview {
  const now = totalsOf(input.current);
  const before = totalsOf(input.previous);
  const counts = Object.fromEntries(
    (Object.keys(now.counts) as DailyCountKey[]).map((key) => [
      key,
      { current: now.counts[key], previous: before.counts[key], comparison: comparePeriods(now.counts[key], before.counts[key]) },
    ]),
  ) as Record<DailyCountKey, CountFigure>;
  const currencies = [...new Set([...now.values, ...before.values].map((value) => value.currency))].sort();
  const valueIn = (values: CurrencyTotal[], currency: string) => values.find((value) => value.currency === currency)?.valueMinor ?? 0;
  const percentile = (fraction: number): PercentileFigure => ({
    current: percentileFromHistogram(now.histogram, fraction),
    previous: percentileFromHistogram(before.histogram, fraction),
  });
  const anything = (totals: Totals) => Object.values(totals.counts).some((count) => count > 0) || totals.aiSent > 0;

  return {
    period: { from: input.period.from, to: input.period.to, timeZone: input.period.timeZone },
    previousPeriod: { from: input.previousPeriod.from, to: input.previousPeriod.to },
    counts,
    rates: {
      reply: rateFigure(ratio(now.answered, now.aiSent), ratio(before.answered, before.aiSent)),
      conversion: rateFigure(ratio(now.counts.conversions, now.counts.newLeads), ratio(before.counts.conversions, before.counts.newLeads)),
      optOut: rateFigure(ratio(now.counts.optOuts, now.counts.newLeads), ratio(before.counts.optOuts, before.counts.newLeads)),
    },
    firstResponse: { p50: percentile(0.5), p90: percentile(0.9) },
    conversionValues: currencies.map((currency) => ({ currency, current: valueIn(now.values, currency), previous: valueIn(before.values, currency) })),
    waitingForOwner: input.waitingForOwner,
    hasData: anything(now) || anything(before) || input.waitingForOwner > 0,
  };
}

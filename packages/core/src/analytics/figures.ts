// What one period's rollups add up to, and how a figure compares with the period before.
import type { LocalDate } from "./local-days.ts";
import { addHistograms } from "./response-histogram.ts";

export const ANALYTICS_CHANNELS = ["instagram", "whatsapp", "email", "sandbox"] as const;
export type AnalyticsChannel = (typeof ANALYTICS_CHANNELS)[number];

/** The counts kept per day and channel (the rollups' row, in core's words). */
export const DAILY_COUNT_KEYS = [
  "newLeads",
  "messagesIn",
  "messagesOut",
  "aiReplies",
  "aiFollowUps",
  "conversions",
  "optOuts",
  "deliveryProblems",
] as const;
export type DailyCountKey = (typeof DAILY_COUNT_KEYS)[number];

export type DailyCounts = Record<DailyCountKey, number>;

export interface DayChannelFigures extends DailyCounts {
  date: LocalDate;
  channel: AnalyticsChannel;
  /** Time to first response of the leads that got their first answer that day (response-histogram.ts buckets). */
  firstResponses: readonly number[];
}

/** AI messages of one follow-up step (0: the reply to the lead's message) and how many the lead answered. */
export interface StepFigures {
  step: number;
  sent: number;
  /** Messages the lead wrote back to: one however many messages the lead sent after it. */
  answered: number;
}

/** Conversion value of a period in one currency. */
export interface CurrencyTotal {
  /** ISO 4217 */
  currency: string;
  valueMinor: number;
}

/** One period's rollups: sparse (a day without activity has no row). */
export interface PeriodFigures {
  days: readonly DayChannelFigures[];
  steps: readonly StepFigures[];
  conversionValues: readonly CurrencyTotal[];
}

export function emptyCounts(): DailyCounts {
  return Object.fromEntries(DAILY_COUNT_KEYS.map((key) => [key, 0])) as DailyCounts;
}

export function sumCounts(rows: readonly DailyCounts[]): DailyCounts {
  const total = emptyCounts();
  for (const row of rows) for (const key of DAILY_COUNT_KEYS) total[key] += row[key];
  return total;
}

export function periodHistogram(figures: PeriodFigures): number[] {
  return addHistograms(figures.days.map((day) => day.firstResponses));
}

/** Step figures added up per step, lowest step first. */
export function sumSteps(steps: readonly StepFigures[]): StepFigures[] {
  const byStep = new Map<number, StepFigures>();
  for (const { step, sent, answered } of steps) {
    const total = byStep.get(step) ?? { step, sent: 0, answered: 0 };
    byStep.set(step, { step, sent: total.sent + sent, answered: total.answered + answered });
  }
  return [...byStep.values()].sort((a, b) => a.step - b.step);
}

/** Conversion values added up per currency, alphabetically. */
export function sumConversionValues(values: readonly CurrencyTotal[]): CurrencyTotal[] {
  const byCurrency = new Map<string, number>();
  for (const { currency, valueMinor } of values) byCurrency.set(currency, (byCurrency.get(currency) ?? 0) + valueMinor);
  return [...byCurrency.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([currency, valueMinor]) => ({ currency, valueMinor }));
}

/** numerator / denominator, or null when there is nothing to divide by (no "0 %" for a new account). */
export function ratio(numerator: number, denominator: number): number | null {
  return denominator > 0 ? numerator / denominator : null;
}

export interface Comparison {
  direction: "up" | "down" | "same";
  /** current - previous (for rates: in fractions, 0.05 = 5 percentage points). */
  difference: number;
  /** difference / previous; null when the previous period had 0 (no "+inf %"). */
  relative: number | null;
}

/** How `current` compares with `previous`; null when either is unknown (a rate without a denominator). */
export function comparePeriods(current: number | null, previous: number | null): Comparison | null {
  if (current === null || previous === null) return null;
  const difference = current - previous;
  return {
    direction: difference > 0 ? "up" : difference < 0 ? "down" : "same",
    difference,
    relative: previous === 0 ? null : difference / previous,
  };
}

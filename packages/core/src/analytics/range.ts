// Which days the dashboard shows: the last 7, 30 or 90 days (today included) or custom dates, in
// the owner's zone, and the period of the same length just before, for the comparison.
import { z } from "zod";
import { addDays, daysBetween, localDateOf, localDateSchema, localDay, type LocalDate, type LocalDay } from "./local-days.ts";

export const ANALYTICS_PRESETS = ["7d", "30d", "90d"] as const;
export type AnalyticsPreset = (typeof ANALYTICS_PRESETS)[number];
const PRESET_DAYS: Record<AnalyticsPreset, number> = { "7d": 7, "30d": 30, "90d": 90 };
export const DEFAULT_ANALYTICS_PRESET: AnalyticsPreset = "30d";

/** A custom range spans at most a year plus a day (a leap year), which keeps a chart readable and a query small. */
export const ANALYTICS_MAX_SPAN_DAYS = 366;

export const analyticsRangeSchema = z.union([
  z.object({ preset: z.enum(ANALYTICS_PRESETS) }),
  z.object({ from: localDateSchema, to: localDateSchema }),
]);
export type AnalyticsRange = z.output<typeof analyticsRangeSchema>;

export interface AnalyticsPeriod {
  timeZone: string;
  from: LocalDate;
  /** The last day shown (inclusive). */
  to: LocalDate;
  /** Every day of the period, oldest first. */
  days: LocalDay[];
  /** [start, end): from the first day's midnight to the midnight after the last day. */
  start: Date;
  end: Date;
}

export type PeriodResult = { ok: true; period: AnalyticsPeriod } | { ok: false; problem: string };

function periodOf(from: LocalDate, to: LocalDate, timeZone: string): AnalyticsPeriod {
  const days = Array.from({ length: daysBetween(from, to) + 1 }, (_, index) => localDay(addDays(from, index), timeZone));
  const first = days[0] as LocalDay;
  const last = days.at(-1) as LocalDay;
  return { timeZone, from, to, days, start: first.start, end: last.end };
}

/**
 * The period a range names, as of `now` in `timeZone` (a valid IANA zone). Custom dates must be in
 * order, not after today, and span at most ANALYTICS_MAX_SPAN_DAYS.
 */
export function resolveAnalyticsPeriod(range: AnalyticsRange, { now, timeZone }: { now: Date; timeZone: string }): PeriodResult {
  const today = localDateOf(now, timeZone);
  if ("preset" in range) {
    return { ok: true, period: periodOf(addDays(today, 1 - PRESET_DAYS[range.preset]), today, timeZone) };
  }
  const span = daysBetween(range.from, range.to) + 1;
  if (span < 1) return { ok: false, problem: "The start date is after the end date." };
  if (daysBetween(today, range.to) > 0) return { ok: false, problem: "The end date is in the future." };
  if (span > ANALYTICS_MAX_SPAN_DAYS) return { ok: false, problem: `Pick at most ${ANALYTICS_MAX_SPAN_DAYS} days.` };
  return { ok: true, period: periodOf(range.from, range.to, timeZone) };
}

/** The period of the same number of days that ends the day before `period` starts. */
export function previousPeriod(period: AnalyticsPeriod): AnalyticsPeriod {
  const length = period.days.length;
  return periodOf(addDays(period.from, -length), addDays(period.from, -1), period.timeZone);
}

import type { Comparison, PercentileBound } from "@audnix/core";

// A fixed locale: the server and the browser must render the same text, or hydration breaks.
const LOCALE = "en-US";
const dayLabel = new Intl.DateTimeFormat(LOCALE, { month: "short", day: "numeric", timeZone: "UTC" });

/** "2026-03-29" -> "Mar 29" (the date as written, whatever the browser's zone). */
export function formatDay(date: string): string {
  return dayLabel.format(new Date(`${date}T00:00:00Z`));
}

/** 0.6667 -> "67 %"; null (nothing to count) -> "—". */
export function formatRate(rate: number | null): string {
  return rate === null ? "—" : `${Math.round(rate * 100)} %`;
}

function formatSeconds(seconds: number): string {
  if (seconds < 3_600) return `${Math.round(seconds / 60)} min`;
  if (seconds < 86_400) return `${Math.round((seconds / 3_600) * 10) / 10} h`;
  return `${Math.round((seconds / 86_400) * 10) / 10} d`;
}

/** A percentile read from the histogram: "within 15 min", "over 1 d", or "—" without responses. */
export function formatPercentile(bound: PercentileBound | null): string {
  if (bound === null) return "—";
  return `${bound.kind === "within" ? "within" : "over"} ${formatSeconds(bound.seconds)}`;
}

/**
 * How a figure moved since the previous period, in words a screen reader reads well:
 * "+3 (+50 %)", "−2", "no change", "+5 pts" for rates.
 */
export function formatChange(comparison: Comparison | null, kind: "count" | "rate"): string {
  if (comparison === null) return "no comparison";
  if (comparison.direction === "same") return "no change";
  const sign = comparison.difference > 0 ? "+" : "−";
  if (kind === "rate") return `${sign}${Math.round(Math.abs(comparison.difference) * 100)} pts`;
  const relative = comparison.relative === null ? "" : ` (${sign}${Math.round(Math.abs(comparison.relative) * 100)} %)`;
  return `${sign}${Math.abs(comparison.difference)}${relative}`;
}

import type { AnalyticsRange } from "@audnix/core";

/** The query string naming `range` (?range=7d, or ?start=&end= for custom days), for links that keep it. */
export function analyticsRangeQuery(range: AnalyticsRange): URLSearchParams {
  return new URLSearchParams("preset" in range ? { range: range.preset } : { start: range.from, end: range.to });
}

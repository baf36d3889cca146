import { analyticsRangeSchema, DEFAULT_ANALYTICS_PRESET, type AnalyticsRange } from "@audnix/core";

/**
 * The dashboard's range in its URL: ?range=7d|30d|90d, or ?start=YYYY-MM-DD&end=YYYY-MM-DD for
 * custom days (not from/to: those belong to the lead list's drill-down). Anything else: 30 days.
 */
export function readAnalyticsRange(params: URLSearchParams): AnalyticsRange {
  const start = params.get("start");
  const end = params.get("end");
  const candidate = start !== null || end !== null ? { from: start ?? "", to: end ?? "" } : { preset: params.get("range") ?? DEFAULT_ANALYTICS_PRESET };
  const parsed = analyticsRangeSchema.safeParse(candidate);
  return parsed.success ? parsed.data : { preset: DEFAULT_ANALYTICS_PRESET };
}

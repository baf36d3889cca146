import type { AnalyticsRange } from "@audnix/core";
import { leadFiltersQuery, NO_LEAD_FILTERS, type LeadActivityKind } from "../leads/lead-filters.ts";
import { analyticsRangeQuery } from "./range-query.ts";

/**
 * The lead list filtered to the leads behind a tile (`kind` happened to them within the period),
 * keeping the dashboard's range so the tiles above stay as they were.
 */
export function drillDownHref(kind: LeadActivityKind, period: { from: string; to: string }, range: AnalyticsRange): string {
  const params = leadFiltersQuery({ ...NO_LEAD_FILTERS, activity: { kind, from: period.from, to: period.to } });
  for (const [name, value] of analyticsRangeQuery(range)) params.set(name, value);
  return `/dashboard?${params.toString()}#leads-title`;
}

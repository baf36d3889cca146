import type { Channel, LeadStatus } from "@audnix/db";

/** What happened to a lead within a range of the owner's days: the dashboard tiles' drill-downs. */
export const LEAD_ACTIVITY_KINDS = ["created", "messaged", "ai_messaged", "converted", "opted_out", "delivery_problem"] as const;
export type LeadActivityKind = (typeof LEAD_ACTIVITY_KINDS)[number];

export interface LeadActivity {
  kind: LeadActivityKind;
  /** First and last day, "YYYY-MM-DD" in the owner's zone. */
  from: string;
  to: string;
}

/** The dashboard's lead filters, as they live in the URL (?q=&channel=&status=&needsYou=1&activity=&from=&to=), so they survive reloads and links. */
export interface LeadFilters {
  search: string;
  channel: Channel | null;
  status: LeadStatus | null;
  /** Only leads waiting for the owner, the longest-waiting first (?needsYou=1). */
  needsYou: boolean;
  activity: LeadActivity | null;
}

export const NO_LEAD_FILTERS: LeadFilters = { search: "", channel: null, status: null, needsYou: false, activity: null };

/** The lead list filtered to the "Needs you" queue: the header's link. */
export const NEEDS_YOU_PATH = "/dashboard?needsYou=1";

export const SEARCH_MAX_LENGTH = 100;

export function hasLeadFilters(filters: LeadFilters): boolean {
  return filters.search !== "" || filters.channel !== null || filters.status !== null || filters.needsYou || filters.activity !== null;
}

/** The query string for `filters`, leaving out what is not set. */
export function leadFiltersQuery(filters: LeadFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.search) params.set("q", filters.search);
  if (filters.channel) params.set("channel", filters.channel);
  if (filters.status) params.set("status", filters.status);
  if (filters.needsYou) params.set("needsYou", "1");
  if (filters.activity) {
    params.set("activity", filters.activity.kind);
    params.set("from", filters.activity.from);
    params.set("to", filters.activity.to);
  }
  return params;
}

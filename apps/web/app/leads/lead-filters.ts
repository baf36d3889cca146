import type { Channel, LeadStatus } from "@audnix/db";

/** The dashboard's lead filters, as they live in the URL (?q=&channel=&status=), so they survive reloads and links. */
export interface LeadFilters {
  search: string;
  channel: Channel | null;
  status: LeadStatus | null;
}

export const SEARCH_MAX_LENGTH = 100;

export function hasLeadFilters(filters: LeadFilters): boolean {
  return filters.search !== "" || filters.channel !== null || filters.status !== null;
}

/** The query string for `filters`, leaving out what is not set. */
export function leadFiltersQuery(filters: LeadFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.search) params.set("q", filters.search);
  if (filters.channel) params.set("channel", filters.channel);
  if (filters.status) params.set("status", filters.status);
  return params;
}

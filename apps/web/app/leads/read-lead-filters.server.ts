import { z } from "zod";
import { SEARCH_MAX_LENGTH, type LeadFilters } from "./lead-filters.ts";
import { CHANNELS, STATUSES } from "./lead-labels.ts";

// A hand-edited or outdated URL falls back to "no filter" for that field instead of an error page.
const filtersSchema = z.object({
  q: z
    .string()
    .trim()
    .transform((text) => text.slice(0, SEARCH_MAX_LENGTH))
    .catch(""),
  channel: z.enum(CHANNELS).nullable().catch(null),
  status: z.enum(STATUSES).nullable().catch(null),
});

/** The lead filters in a dashboard URL's query string. */
export function readLeadFilters(params: URLSearchParams): LeadFilters {
  const { q, channel, status } = filtersSchema.parse({
    q: params.get("q") ?? "",
    channel: params.get("channel"),
    status: params.get("status"),
  });
  return { search: q, channel, status };
}

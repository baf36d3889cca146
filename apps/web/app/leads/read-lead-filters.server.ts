import { localDateSchema } from "@audnix/core";
import { z } from "zod";
import { LEAD_ACTIVITY_KINDS, SEARCH_MAX_LENGTH, type LeadFilters } from "./lead-filters.ts";
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
  needsYou: z.literal("1").nullable().catch(null),
  // All three or none: a drill-down link always names the kind and both days.
  activity: z.object({ kind: z.enum(LEAD_ACTIVITY_KINDS), from: localDateSchema, to: localDateSchema }).nullable().catch(null),
});

/** The lead filters in a dashboard URL's query string. */
export function readLeadFilters(params: URLSearchParams): LeadFilters {
  const { q, channel, status, needsYou, activity } = filtersSchema.parse({
    q: params.get("q") ?? "",
    channel: params.get("channel"),
    status: params.get("status"),
    needsYou: params.get("needsYou"),
    activity: { kind: params.get("activity"), from: params.get("from"), to: params.get("to") },
  });
  return { search: q, channel, status, needsYou: needsYou !== null, activity };
}

import { DEFAULT_ANALYTICS_PRESET, type AnalyticsRange } from "@audnix/core";
import { TRPCError } from "@trpc/server";
import type { createServerCaller } from "../trpc.server.ts";
import { readAnalyticsRange } from "./read-range.server.ts";

type Caller = ReturnType<typeof createServerCaller>;

async function load(caller: Caller, range: AnalyticsRange) {
  const [overview, series] = await Promise.all([caller.analytics.overview({ range }), caller.analytics.series({ range })]);
  return { range, overview, series };
}

/**
 * The dashboard's tiles and charts for the range in the URL. A custom range the owner cannot be
 * shown (in the future, too long) says why and shows the default range instead of an error page.
 */
export async function loadDashboardAnalytics(caller: Caller, params: URLSearchParams) {
  const range = readAnalyticsRange(params);
  try {
    return { ...(await load(caller, range)), rangeProblem: null };
  } catch (error) {
    if (!(error instanceof TRPCError && error.code === "BAD_REQUEST") || "preset" in range) throw error;
    return { ...(await load(caller, { preset: DEFAULT_ANALYTICS_PRESET })), rangeProblem: error.message };
  }
}

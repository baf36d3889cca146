import { loadAnalyticsOverview } from "@audnix/db";
import type { ProtectedContext } from "../../trpc.ts";
import type { AnalyticsRangeInput } from "./range.schema.ts";
import { withRangeErrors } from "./range-error.ts";

export function analyticsOverviewHandler({ ctx, input }: { ctx: ProtectedContext; input: AnalyticsRangeInput }) {
  return withRangeErrors(() => loadAnalyticsOverview(ctx.db, ctx.userId, input.range, { now: ctx.now() }));
}

import { protectedProcedure, router } from "../../trpc.ts";
import { analyticsOverviewHandler } from "./overview.handler.ts";
import { analyticsRangeInput } from "./range.schema.ts";
import { analyticsSeriesHandler } from "./series.handler.ts";

export const analyticsRouter = router({
  /** The tiles: each figure of the range beside the previous period's. */
  overview: protectedProcedure.input(analyticsRangeInput).query(({ ctx, input }) => analyticsOverviewHandler({ ctx, input })),
  /** The charts: per day new leads by channel, messages in/out, AI replies and follow-ups, conversions; reply rate by step. */
  series: protectedProcedure.input(analyticsRangeInput).query(({ ctx, input }) => analyticsSeriesHandler({ ctx, input })),
});

import { protectedProcedure, router } from "../../trpc.ts";
import { summaryByIdHandler } from "./by-id.handler.ts";
import { summaryByIdInput } from "./by-id.schema.ts";
import { listSummariesHandler } from "./list.handler.ts";
import { sendSummaryNowHandler } from "./send-now.handler.ts";
import { setWeeklySummaryHandler } from "./set-weekly.handler.ts";
import { setWeeklySummaryInput } from "./set-weekly.schema.ts";

export const summariesRouter = router({
  list: protectedProcedure.query(({ ctx }) => listSummariesHandler({ ctx })),
  byId: protectedProcedure.input(summaryByIdInput).query(({ ctx, input }) => summaryByIdHandler({ ctx, input })),
  setWeekly: protectedProcedure.input(setWeeklySummaryInput).mutation(({ ctx, input }) => setWeeklySummaryHandler({ ctx, input })),
  // Every press emails the owner: a budget of its own (apps/web rate-limit.server.ts).
  sendNow: protectedProcedure.meta({ rateLimit: "summaryNow" }).mutation(({ ctx }) => sendSummaryNowHandler({ ctx })),
});

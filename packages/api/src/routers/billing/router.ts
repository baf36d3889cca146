import { protectedProcedure, router } from "../../trpc.ts";
import { billingOverviewHandler } from "./overview.handler.ts";

export const billingRouter = router({
  overview: protectedProcedure.query(({ ctx }) => billingOverviewHandler({ ctx })),
});

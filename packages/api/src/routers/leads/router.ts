import { protectedProcedure, router } from "../../trpc.ts";
import { listLeadsHandler } from "./list.handler.ts";
import { listLeadsInput } from "./list.schema.ts";

export const leadsRouter = router({
  list: protectedProcedure.input(listLeadsInput).query(({ ctx, input }) => listLeadsHandler({ ctx, input })),
});

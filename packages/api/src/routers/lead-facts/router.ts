import { protectedProcedure, router } from "../../trpc.ts";
import { addLeadFactHandler, listLeadFactsHandler, removeLeadFactHandler, updateLeadFactHandler } from "./lead-facts.handler.ts";
import { addLeadFactInput, listLeadFactsInput, removeLeadFactInput, updateLeadFactInput } from "./lead-facts.schema.ts";

export const leadFactsRouter = router({
  list: protectedProcedure.input(listLeadFactsInput).query(({ ctx, input }) => listLeadFactsHandler({ ctx, input })),
  add: protectedProcedure.input(addLeadFactInput).mutation(({ ctx, input }) => addLeadFactHandler({ ctx, input })),
  update: protectedProcedure.input(updateLeadFactInput).mutation(({ ctx, input }) => updateLeadFactHandler({ ctx, input })),
  remove: protectedProcedure.input(removeLeadFactInput).mutation(({ ctx, input }) => removeLeadFactHandler({ ctx, input })),
});

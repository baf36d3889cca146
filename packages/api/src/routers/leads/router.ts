import { protectedProcedure, router } from "../../trpc.ts";
import { leadByIdHandler } from "./by-id.handler.ts";
import { leadByIdInput } from "./by-id.schema.ts";
import { clearNeedsOwnerHandler } from "./clear-needs-owner.handler.ts";
import { clearNeedsOwnerInput } from "./clear-needs-owner.schema.ts";
import { listLeadsHandler } from "./list.handler.ts";
import { listLeadsInput } from "./list.schema.ts";

export const leadsRouter = router({
  list: protectedProcedure.input(listLeadsInput).query(({ ctx, input }) => listLeadsHandler({ ctx, input })),
  byId: protectedProcedure.input(leadByIdInput).query(({ ctx, input }) => leadByIdHandler({ ctx, input })),
  clearNeedsOwner: protectedProcedure.input(clearNeedsOwnerInput).mutation(({ ctx, input }) => clearNeedsOwnerHandler({ ctx, input })),
});

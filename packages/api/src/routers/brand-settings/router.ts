import { protectedProcedure, router } from "../../trpc.ts";
import { getBrandSettingsHandler } from "./get.handler.ts";
import { updateBrandSettingsHandler } from "./update.handler.ts";
import { updateBrandSettingsInput } from "./update.schema.ts";

export const brandSettingsRouter = router({
  get: protectedProcedure.query(({ ctx }) => getBrandSettingsHandler({ ctx })),
  update: protectedProcedure
    .input(updateBrandSettingsInput)
    .mutation(({ ctx, input }) => updateBrandSettingsHandler({ ctx, input })),
});

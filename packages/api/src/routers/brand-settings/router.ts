import { protectedProcedure, router } from "../../trpc.ts";
import { adoptBrowserTimeZoneHandler } from "./adopt-browser-time-zone.handler.ts";
import { getBrandSettingsHandler } from "./get.handler.ts";
import { updateBrandSettingsHandler } from "./update.handler.ts";
import { adoptBrowserTimeZoneInput, updateBrandSettingsInput } from "./update.schema.ts";

export const brandSettingsRouter = router({
  get: protectedProcedure.query(({ ctx }) => getBrandSettingsHandler({ ctx })),
  update: protectedProcedure
    .input(updateBrandSettingsInput)
    .mutation(({ ctx, input }) => updateBrandSettingsHandler({ ctx, input })),
  adoptBrowserTimeZone: protectedProcedure
    .input(adoptBrowserTimeZoneInput)
    .mutation(({ ctx, input }) => adoptBrowserTimeZoneHandler({ ctx, input })),
});

import { protectedProcedure, router } from "../../trpc.ts";
import { followUpNowHandler, markConvertedHandler, pauseHandler, resumeHandler, undoConvertedHandler } from "./controls.handler.ts";
import { forLeadHandler } from "./for-lead.handler.ts";
import { followUpNowInput, leadInput, markConvertedInput, resumeInput } from "./lead.schema.ts";
import { previewHandler } from "./preview.handler.ts";

export const followUpsRouter = router({
  forLead: protectedProcedure.input(leadInput).query(({ ctx, input }) => forLeadHandler({ ctx, input })),
  followUpNow: protectedProcedure.input(followUpNowInput).mutation(({ ctx, input }) => followUpNowHandler({ ctx, input })),
  // A mutation although it writes nothing: it calls a paid model and must never be cached or prefetched.
  preview: protectedProcedure.meta({ rateLimit: "preview" }).input(leadInput).mutation(({ ctx, input }) => previewHandler({ ctx, input })),
  pause: protectedProcedure.input(leadInput).mutation(({ ctx, input }) => pauseHandler({ ctx, input })),
  resume: protectedProcedure.input(resumeInput).mutation(({ ctx, input }) => resumeHandler({ ctx, input })),
  markConverted: protectedProcedure.input(markConvertedInput).mutation(({ ctx, input }) => markConvertedHandler({ ctx, input })),
  // Gives the lead back its status from before "Mark as converted"; cancelled steps stay cancelled.
  undoConverted: protectedProcedure.input(leadInput).mutation(({ ctx, input }) => undoConvertedHandler({ ctx, input })),
});

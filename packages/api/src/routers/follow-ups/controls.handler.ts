import { markLeadConverted, pauseLeadAi, requestFollowUpNow, resumeLeadAi, undoLeadConversion } from "@audnix/db";
import type { ProtectedContext } from "../../trpc.ts";
import { asTrpcRefusal } from "./lead-control-error.ts";
import type { FollowUpNowInput, LeadInput, MarkConvertedInput, ResumeInput } from "./lead.schema.ts";

export function followUpNowHandler({ ctx, input }: { ctx: ProtectedContext; input: FollowUpNowInput }) {
  return asTrpcRefusal(() =>
    requestFollowUpNow(ctx.db, {
      userId: ctx.userId,
      leadId: input.leadId,
      now: ctx.now(),
      ...(input.step === undefined ? {} : { expectedStep: input.step }),
    }),
  );
}

export function pauseHandler({ ctx, input }: { ctx: ProtectedContext; input: LeadInput }) {
  return asTrpcRefusal(() => pauseLeadAi(ctx.db, { userId: ctx.userId, leadId: input.leadId, now: ctx.now() }));
}

export function resumeHandler({ ctx, input }: { ctx: ProtectedContext; input: ResumeInput }) {
  return asTrpcRefusal(() =>
    resumeLeadAi(ctx.db, { userId: ctx.userId, leadId: input.leadId, now: ctx.now(), followUpNow: input.followUpNow }),
  );
}

export function markConvertedHandler({ ctx, input }: { ctx: ProtectedContext; input: MarkConvertedInput }) {
  return asTrpcRefusal(() => markLeadConverted(ctx.db, { userId: ctx.userId, leadId: input.leadId, now: ctx.now(), worth: input.worth }));
}

export function undoConvertedHandler({ ctx, input }: { ctx: ProtectedContext; input: LeadInput }) {
  return asTrpcRefusal(() => undoLeadConversion(ctx.db, { userId: ctx.userId, leadId: input.leadId, now: ctx.now() }));
}

import { describeReplyChannel } from "@audnix/core";
import { loadFollowUpContext } from "@audnix/db";
import { TRPCError } from "@trpc/server";
import type { ProtectedContext } from "../../trpc.ts";
import { ownerReplyOptions } from "./reply-channels.ts";
import type { ReplyChannelsInput } from "./reply.schema.ts";

/** What the lead page's reply box offers: every channel the lead can be reached on, open or closed, in words. */
export async function replyChannelsHandler({ ctx, input }: { ctx: ProtectedContext; input: ReplyChannelsInput }) {
  const context = await loadFollowUpContext(ctx.db, { userId: ctx.userId, leadId: input.leadId });
  if (!context) throw new TRPCError({ code: "NOT_FOUND", message: "Lead not found." });
  const now = ctx.now();
  return {
    channels: ownerReplyOptions(context, now).map((option) => ({
      channel: option.channel,
      open: option.open,
      mode: option.open ? option.mode : null,
      text: describeReplyChannel(option, now),
    })),
    optedOut: context.lead.optedOutAt !== null,
    /** The brand setting: an owner's reply pauses the AI for the lead. */
    replyPausesAi: context.brand.ownerReplyPausesAi,
    whatsappTemplateName: context.brand.whatsappTemplateName,
  };
}

import { describeReplyChannel, OWNER_REPLY_MAX_CHARS, ownerReplyIdempotencyKey } from "@audnix/core";
import { loadFollowUpContext, pauseLeadAi, recordOwnerSend } from "@audnix/db";
import { TRPCError } from "@trpc/server";
import type { ProtectedContext } from "../../trpc.ts";
import { ownerReplyOptions } from "./reply-channels.ts";
import type { ReplyInput } from "./reply.schema.ts";

/**
 * The owner's reply from the lead page: checked against the platform rules now (core's
 * channelMode, with the owner as sender), recorded once per clientMessageId with its owner:send job
 * (the engine's exactly-once path), and, when the brand says so, the AI paused for the lead.
 * A WhatsApp reply outside 24 h is the approved template: the owner's text cannot go there.
 */
export async function replyHandler({ ctx, input }: { ctx: ProtectedContext; input: ReplyInput }) {
  const now = ctx.now();
  const context = await loadFollowUpContext(ctx.db, { userId: ctx.userId, leadId: input.leadId });
  if (!context) throw new TRPCError({ code: "NOT_FOUND", message: "Lead not found." });
  if (context.lead.optedOutAt !== null) {
    throw new TRPCError({ code: "PRECONDITION_FAILED", message: "This lead opted out: nothing more can be sent to them." });
  }
  const option = ownerReplyOptions(context, now).find((candidate) => candidate.channel === input.channel);
  if (!option) throw new TRPCError({ code: "PRECONDITION_FAILED", message: "The lead cannot be reached on that channel." });
  if (!option.open) throw new TRPCError({ code: "PRECONDITION_FAILED", message: describeReplyChannel(option, now) });
  const limit = OWNER_REPLY_MAX_CHARS[input.channel];
  if (input.body.length > limit) {
    throw new TRPCError({ code: "BAD_REQUEST", message: `Keep the message under ${limit.toLocaleString("en")} characters for this channel.` });
  }
  const template = option.mode === "template" ? context.brand.whatsappTemplateName : null;
  const recorded = await recordOwnerSend(ctx.db, {
    userId: ctx.userId,
    leadId: input.leadId,
    idempotencyKey: ownerReplyIdempotencyKey(ctx.userId, input.clientMessageId),
    channel: input.channel,
    body: template ? `WhatsApp template "${template}"` : input.body,
    metadata: { mode: template ? "template" : "text" },
    now,
  });
  // After the record: a repeat of the same request pauses nothing a second time (the owner may
  // have resumed the AI in between), and a refused reply never pauses.
  const pause = recorded.created && context.brand.ownerReplyPausesAi && context.lead.aiPausedAt === null;
  if (pause) await pauseLeadAi(ctx.db, { userId: ctx.userId, leadId: input.leadId, now });
  return { messageId: recorded.messageId, repeated: !recorded.created, mode: option.mode, aiPaused: pause };
}

import { DEFAULT_CONVERSION_CURRENCY, describeReplyEta, LEAD_FOLLOW_UP_BLOCK_NOTES } from "@audnix/core";
import { followUpNowState, leadConversion, nextPlannedStep } from "@audnix/db";
import { TRPCError } from "@trpc/server";
import type { ProtectedContext } from "../../trpc.ts";
import type { LeadInput } from "./lead.schema.ts";

/** Why nothing is planned, most decisive first; the panel words each one for the owner. */
export type FollowUpIdleReason =
  | "opted_out"
  | "converted"
  | "paused"
  | "blocked"
  /** The AI told the lead the team will answer (leads.needs_owner_at): steps wait for "Mark as handled". */
  | "waiting_for_owner"
  | "replying"
  | "sending_now"
  | "finished"
  | "not_started";

/** The lead page's follow-up panel: what happens next, or why nothing will. */
export async function forLeadHandler({ ctx, input }: { ctx: ProtectedContext; input: LeadInput }) {
  const { leadId } = input;
  const state = await ctx.db.asUser(ctx.userId, async (tx) => {
    const lead = await tx.lead.findUnique({
      where: { id: leadId },
      select: { status: true, optedOutAt: true, aiBlockedReason: true, aiPausedAt: true, needsOwnerAt: true, replyDueAt: true },
    });
    if (!lead) return null;
    const history = await tx.followUp.findMany({
      where: { leadId },
      orderBy: [{ plannedAt: "asc" }, { createdAt: "asc" }],
      select: { id: true, step: true, channel: true, plannedAt: true, status: true, reason: true, updatedAt: true },
    });
    // The reply answers the lead's latest message: its expected time counts from it.
    const lastInbound = await tx.message.findFirst({ where: { leadId, direction: "inbound" }, orderBy: { sentAt: "desc" }, select: { sentAt: true } });
    return { lead, history, lastInboundAt: lastInbound?.sentAt ?? null };
  });
  // Row-level security hides other owners' leads: "not yours" looks like "not found".
  if (!state) throw new TRPCError({ code: "NOT_FOUND", message: "Lead not found." });
  const next = await nextPlannedStep(ctx.db, { userId: ctx.userId, leadId });
  const now = ctx.now();
  // The button's state comes from the data: a step marked by "Follow up now" or being sent, and
  // core's verdict on the step it sends (the procedure refuses with the same reason).
  const nowState = await followUpNowState(ctx.db, { userId: ctx.userId, leadId, now });
  const followUpNow = { step: nowState.step, pending: nowState.pending, block: nowState.block };
  const { conversion, defaultCurrency } = await leadConversion(ctx.db, { userId: ctx.userId, leadId, fallbackCurrency: DEFAULT_CONVERSION_CURRENCY });

  const optedOut = state.lead.optedOutAt !== null || state.lead.status === "opted_out";
  const paused = state.lead.aiPausedAt !== null;
  // The engine's stop rule (core stopReason, "waiting_for_owner") skips a planned step when it comes due.
  const waitingForOwner = state.lead.needsOwnerAt !== null;
  const block = state.lead.aiBlockedReason;
  const blockedNote = block === null ? null : LEAD_FOLLOW_UP_BLOCK_NOTES[block];
  // On its way, in our own typed state (graphile-worker's tables are not a public interface): the
  // reply the lead's latest message queued (leads.reply_due_at) and the step "Follow up now" marked
  // or is sending; the sooner of the two.
  const pendingJob =
    [
      ...(nowState.pendingDueAt ? [{ kind: "now" as const, runAt: nowState.pendingDueAt }] : []),
      ...(state.lead.replyDueAt ? [{ kind: "reply" as const, runAt: state.lead.replyDueAt }] : []),
    ].sort((a, b) => a.runAt.getTime() - b.runAt.getTime())[0] ?? null;

  let idle: FollowUpIdleReason | null = null;
  if (optedOut) idle = "opted_out";
  else if (state.lead.status === "converted") idle = "converted";
  else if (paused) idle = "paused";
  else if (blockedNote !== null) idle = "blocked";
  else if (waitingForOwner) idle = pendingJob?.kind === "reply" ? "replying" : "waiting_for_owner";
  else if (pendingJob) idle = next ? null : pendingJob.kind === "now" ? "sending_now" : "replying";
  else if (!next) idle = state.history.length > 0 ? "finished" : "not_started";

  const replyDueAt = state.lead.replyDueAt;
  return {
    // A planned step the engine would not send (the verdict covers opt-out, pause, the owner's
    // hold and the plan) is not "next": the panel says why instead.
    nextStep: next && nowState.block === null ? { step: next.step, channel: next.channel, plannedAt: next.plannedAt, reason: next.reason } : null,
    /** When the queued reply goes out, in words ("Replies in about 2 min"), or null when none is queued. */
    replyEta: replyDueAt ? describeReplyEta({ dueAt: replyDueAt, lastInboundAt: state.lastInboundAt, now }) : null,
    idle,
    /** When the lead converted and what it was worth (the owner's "Mark as converted"), or null. */
    conversion,
    /** The currency the "Mark as converted" value starts in. */
    defaultCurrency,
    paused,
    waitingForOwner,
    optedOut,
    blockedNote,
    pendingJob,
    followUpNow,
    history: state.history,
  };
}

import type { Logger, OutboundChannel, SendOutcome } from "@audnix/core";
import { completeSend, failSend, markConnectionNeedsReconnect, type LeadStatus, type NextStepPlan } from "@audnix/db";
import type { TaskRun } from "./define-task.ts";

// How a vendor's answer settles a recorded send: one place for the engine's AI messages and the
// owner's (owner:send), so "sent", "unconfirmed" (never sent again on our own), a dead token and a
// permanent refusal mean the same thing whoever wrote the message (docs/decisions/0011, 0025).
// Outcomes proving nothing went out (retry, window closed) are the caller's: the engine re-plans,
// the owner is told.

/** Why a send left pending by a worker that died is unconfirmed (shown on the lead). */
export const WORKER_STOPPED_REASON = "the worker stopped while the message was being sent";

/** What the sequence does after this send, as completeSend / failSend take it. */
export interface SendContinuation {
  next: NextStepPlan | null;
  endStatus: LeadStatus | null;
  answeredUpTo: Date | null;
  now: Date;
}

export interface SettleTarget {
  userId: string;
  leadId: string;
  messageId: string;
  followUpId: string | null;
  channel: OutboundChannel;
  /** Computed at the moment of settling (the next step is planned from when the send came back). */
  continuation: (sentAt: Date) => SendContinuation;
  logger: Logger;
}

export type DeliveryOutcome = Extract<SendOutcome, { status: "sent" | "unconfirmed" | "token_invalid" | "permanent" }>;

/** Records the outcome on the message (and its step), plans what follows; returns the next step's id. */
export async function settleDelivery(run: TaskRun, target: SettleTarget, outcome: DeliveryOutcome): Promise<{ nextFollowUpId: string | null }> {
  const { db } = run.deps;
  const { userId, leadId, messageId, followUpId, channel, logger } = target;
  const sentAt = run.deps.now();
  const base = { userId, leadId, messageId, followUpId, ...target.continuation(sentAt) };
  switch (outcome.status) {
    case "sent":
      return completeSend(db, { ...base, providerMessageId: outcome.providerMessageId, delivery: { status: "sent" } });
    case "unconfirmed": {
      // It may have reached the lead: at most once, so it is never sent again on our own; the lead
      // page says so (and offers the owner a deliberate retry) and the sequence goes on as after a send.
      const settled = await completeSend(db, { ...base, providerMessageId: null, delivery: { status: "unconfirmed", reason: outcome.reason } });
      logger.warn("delivery unconfirmed; not resending", { channel, reason: outcome.reason });
      return settled;
    }
    case "token_invalid": {
      await markConnectionNeedsReconnect(db, {
        userId,
        channel: channel as Exclude<OutboundChannel, "sandbox">,
        reason: "The access token stopped working. Reconnect the channel to resume follow-ups.",
        now: sentAt,
      });
      const settled = await failSend(db, { ...base, reason: outcome.reason });
      logger.warn("token invalid; connection needs reconnect", { channel });
      return settled;
    }
    case "permanent": {
      const settled = await failSend(db, { ...base, reason: outcome.reason });
      logger.warn("send failed permanently; logged on the lead", { channel, reason: outcome.reason });
      return settled;
    }
  }
}

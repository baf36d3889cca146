import { FOLLOW_UP_BLOCK_MESSAGES, LEAD_FOLLOW_UP_BLOCK_NOTES, followUpBlock, type AccountUsage, type FollowUpBlock } from "../billing/plans.ts";
import { stopReason, type LeadStatus, type StopReason } from "./stop-rules.ts";

// "Follow up now" and the lead page's next-step line ask the same question the engine asks when the
// step runs: would this step be sent? One function answers it for the panel, the procedure and the
// engine's plan check, so the button, the line and the job can never disagree.

/**
 * Why the plan forbids follow-ups to this lead: it arrived while the account was blocked
 * (leads.ai_blocked_reason, set by capture, kept for good), or the trial or plan has ended since.
 * Leads admitted before the lead limit was reached keep their follow-ups.
 */
export function leadFollowUpBlock(leadBlockedReason: FollowUpBlock | null, account: AccountUsage | null, now: Date): FollowUpBlock | null {
  if (leadBlockedReason !== null) return leadBlockedReason;
  // No account row is no plan at all.
  const block = account ? followUpBlock(account, now) : "plan_expired";
  return block === "trial_expired" || block === "plan_expired" ? block : null;
}

export interface FollowUpNowInput {
  lead: {
    status: LeadStatus;
    optedOut: boolean;
    aiPaused: boolean;
    needsOwner: boolean;
    /** leads.ai_blocked_reason. */
    blockedReason: FollowUpBlock | null;
    lastInboundAt: Date | null;
    lastOutboundAt: Date | null;
  };
  account: AccountUsage | null;
  /** The step "Follow up now" would send (the planned one, or the one after the last). */
  step: number;
  /** How many steps the owner's sequence has. */
  maxSteps: number;
  now: Date;
}

/** Stop reasons a step can meet (nothing_to_answer concerns replies only). */
export type FollowUpNowRefusal = Exclude<StopReason, "nothing_to_answer">;

export type FollowUpNowVerdict =
  | { allowed: true }
  /** `message` is the owner-facing reason: shown under the button, on the next-step line and in the refusal. */
  | { allowed: false; reason: FollowUpNowRefusal; message: string };

const REFUSAL_MESSAGES: Record<Exclude<FollowUpNowRefusal, "plan_blocked">, string> = {
  opted_out: "This lead opted out: no more follow-ups will be sent.",
  converted: "No follow-ups: this lead has converted.",
  paused: "AI is paused for this lead. Resume AI first.",
  waiting_for_owner:
    "Follow-ups wait for you: this lead needs you (the note above the conversation says why). Deal with it, then mark it as handled to resume.",
  lead_lost: "The follow-up sequence has finished without an answer. The AI answers if the lead writes again.",
  lead_replied: "No follow-up while the lead's latest message is unanswered: the AI replies to it, then the sequence starts again.",
  sequence_finished: "Every step of the follow-up sequence has been sent. The AI answers if the lead writes again.",
};

/**
 * Whether a follow-up step sent now would go out, by the engine's own stop rules (stopReason, as
 * decideNextAction applies them to a "now" step) with the plan's block as the engine computes it.
 * Quiet hours and channels are not part of it: the owner's "now" ignores quiet hours, and the
 * channel is chosen when the step runs.
 */
export function followUpNowVerdict(input: FollowUpNowInput): FollowUpNowVerdict {
  const block = leadFollowUpBlock(input.lead.blockedReason, input.account, input.now);
  const reason = stopReason({
    kind: "step",
    status: input.lead.status,
    optedOut: input.lead.optedOut,
    aiPaused: input.lead.aiPaused,
    needsOwner: input.lead.needsOwner,
    stepNumber: input.step,
    maxSteps: input.maxSteps,
    followUpBlock: block,
    lastInboundAt: input.lead.lastInboundAt,
    lastOutboundAt: input.lead.lastOutboundAt,
  });
  if (reason === null || reason === "nothing_to_answer") return { allowed: true };
  if (reason === "plan_blocked") {
    // A lead captured while blocked stays blocked: its note says so; otherwise the account's state.
    const message =
      input.lead.blockedReason !== null
        ? LEAD_FOLLOW_UP_BLOCK_NOTES[input.lead.blockedReason]
        : FOLLOW_UP_BLOCK_MESSAGES[block ?? "plan_expired"];
    return { allowed: false, reason, message };
  }
  return { allowed: false, reason, message: REFUSAL_MESSAGES[reason] };
}

import type { LeadStatus } from "../followup/stop-rules.ts";

// The "Needs you" queue (issue 11, docs/decisions/0027): why a lead waits for the owner, which
// reason wins when several apply, and which inbound messages put a lead there. The SQL that sets
// the flag (app_flag_needs_owner, app_capture_delivery) gets these as parameters and holds none.

/**
 * Every reason, strongest first (leads.needs_owner_reason). A lead already flagged keeps its
 * reason unless a stronger one arrives:
 * - unanswered_question: our reply told the lead the team will answer: a promise is pending;
 * - send_failed: the lead did not get (or may not have got) what we sent;
 * - wrote_while_paused: the owner took over, and the lead wrote: nobody else will answer;
 * - wrote_after_sequence_ended: the lead came back to a finished conversation (status converted or lost).
 */
export const NEEDS_OWNER_REASONS = [
  "unanswered_question",
  "send_failed",
  "wrote_while_paused",
  "wrote_after_sequence_ended",
] as const;
export type NeedsOwnerReason = (typeof NEEDS_OWNER_REASONS)[number];

/** A reason's strength: higher wins (the strongest reason has the highest rank). */
export function needsOwnerRank(reason: NeedsOwnerReason): number {
  return NEEDS_OWNER_REASONS.length - NEEDS_OWNER_REASONS.indexOf(reason);
}

/** The reason a lead shows after `candidate` arrives: the stronger of the two (the current one on a tie). */
export function strongerNeedsOwnerReason(current: NeedsOwnerReason | null, candidate: NeedsOwnerReason): NeedsOwnerReason {
  if (current === null) return candidate;
  return needsOwnerRank(candidate) > needsOwnerRank(current) ? candidate : current;
}

/**
 * Statuses in which the sequence has ended: converted, or lost (the engine marks a lead lost in
 * the same transaction that records its last step, or when a step finds the sequence finished),
 * so "no planned step left and the last step sent" is exactly status lost.
 */
export const SEQUENCE_ENDED_STATUSES: readonly LeadStatus[] = ["converted", "lost"];

/**
 * Why a new message from an existing lead needs the owner, read from the lead as it was before
 * the message: paused beats ended (the owner is the one talking to them). Opted-out leads are
 * answered by nobody and flag nothing; new, contacted and replied leads are the AI's to answer.
 */
export function inboundNeedsOwnerReason(lead: { status: LeadStatus; aiPaused: boolean }): NeedsOwnerReason | null {
  if (lead.status === "opted_out") return null;
  if (lead.aiPaused) return "wrote_while_paused";
  if (SEQUENCE_ENDED_STATUSES.includes(lead.status)) return "wrote_after_sequence_ended";
  return null;
}

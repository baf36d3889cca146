// When the follow-up engine stops talking to a lead, and how a lead's status moves.

/** The lead statuses of the LeadStatus enum in schema.prisma. */
export type LeadStatus = "new" | "contacted" | "replied" | "converted" | "opted_out" | "lost";

export type StopReason =
  /** The lead asked us to stop (keyword, model verdict, or the owner marked it). Final. */
  | "opted_out"
  /** The lead bought: selling on would be spam. */
  | "converted"
  /** The owner took over the conversation (leads.ai_paused_at). */
  | "paused"
  /**
   * Steps only: our reply told the lead the team will answer a question the knowledge base could
   * not (leads.needs_owner_at, docs/decisions/0021), so an automated "just checking in" would
   * contradict it. Replies still go: the lead wrote, and answering is not a follow-up. Checked
   * after paused and plan_blocked (they outlast "Mark as handled", which lifts only this hold) and
   * after the step rules that end or hand over the sequence (lost, replied, finished), so a step
   * settled with this reason is exactly one that "Mark as handled" can send again.
   */
  | "waiting_for_owner"
  /** The plan does not allow sending (trial over, limits reached). */
  | "plan_blocked"
  /** Every step of the sequence has been sent. */
  | "sequence_finished"
  /** The sequence already ended without an answer; only a new message from the lead restarts it. */
  | "lead_lost"
  /** A step found that the lead wrote after our last message: the reply job answers instead. */
  | "lead_replied"
  /** A reply found nothing unanswered (we already answered the latest message). */
  | "nothing_to_answer";

export interface StopRuleInput {
  kind: "reply" | "step";
  status: LeadStatus;
  /** leads.opted_out_at is set (status opted_out says the same; either stops everything). */
  optedOut: boolean;
  /** leads.ai_paused_at is set. */
  aiPaused: boolean;
  /** leads.needs_owner_at is set: the lead waits for the owner's answer. */
  needsOwner: boolean;
  /** 1-based step about to be sent; ignored for replies. */
  stepNumber: number;
  /** How many steps the sequence has (followUpStepsMinutes.length). */
  maxSteps: number;
  /** Why the plan forbids sending right now, or null when it allows it. */
  followUpBlock: string | null;
  lastInboundAt: Date | null;
  lastOutboundAt: Date | null;
}

/**
 * The reason to send nothing, or null to go ahead. Checked in order of finality: opt-out and
 * conversion end everything, a pause or plan block holds everything, the rest only concern steps
 * or replies; a lead waiting for the owner holds steps, last. A lost lead who writes again gets an
 * answer (their status moves back to replied).
 */
export function stopReason(input: StopRuleInput): StopReason | null {
  if (input.optedOut || input.status === "opted_out") return "opted_out";
  if (input.status === "converted") return "converted";
  if (input.aiPaused) return "paused";
  if (input.followUpBlock !== null) return "plan_blocked";
  const inboundMs = input.lastInboundAt?.getTime() ?? null;
  const outboundMs = input.lastOutboundAt?.getTime() ?? null;
  if (input.kind === "reply") {
    if (inboundMs === null || (outboundMs !== null && outboundMs >= inboundMs)) return "nothing_to_answer";
    return null;
  }
  if (input.status === "lost") return "lead_lost";
  if (inboundMs !== null && (outboundMs === null || inboundMs > outboundMs)) return "lead_replied";
  if (input.stepNumber > input.maxSteps) return "sequence_finished";
  if (input.needsOwner) return "waiting_for_owner";
  return null;
}

export type LeadEvent =
  /** We sent a message (reply or step). */
  | "outbound_sent"
  /** The lead wrote to us. */
  | "inbound_received"
  /** The last step went out and its wait passed without an answer. */
  | "sequence_finished"
  | "converted"
  | "opted_out";

/**
 * new -> contacted (our first message) -> replied (the lead wrote after our message) -> converted /
 * opted_out / lost (the sequence ended unanswered). opted_out is final; converted only gives way to
 * opted_out; a lost lead who writes again is replied. A lead who wrote first stays new until we answer.
 */
export function nextLeadStatus(current: LeadStatus, event: LeadEvent): LeadStatus {
  if (current === "opted_out") return current;
  if (event === "opted_out") return "opted_out";
  if (current === "converted") return current;
  switch (event) {
    case "converted":
      return "converted";
    case "outbound_sent":
      return current === "new" ? "contacted" : current;
    case "inbound_received":
      return current === "contacted" || current === "lost" ? "replied" : current;
    case "sequence_finished":
      return current === "contacted" || current === "replied" ? "lost" : current;
  }
}

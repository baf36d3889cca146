import type { NeedsOwnerReason } from "./reasons.ts";

// What each reason means to the owner: the lead page's banner, the list's filter and the alert
// email say the same words.

const REASON_WORDS: Record<NeedsOwnerReason, { title: string; short: string }> = {
  unanswered_question: { title: "The AI couldn't answer", short: "asked something the AI couldn't answer" },
  send_failed: { title: "A message to this lead failed", short: "did not get a message we sent (it failed or may not have arrived)" },
  wrote_while_paused: { title: "The lead wrote while the AI is paused", short: "wrote while the AI is paused for them" },
  wrote_after_sequence_ended: { title: "The lead wrote after the follow-ups ended", short: "wrote after the follow-ups ended" },
};

/** The banner's heading for a reason ("The AI couldn't answer"). */
export function needsOwnerTitle(reason: NeedsOwnerReason): string {
  return REASON_WORDS[reason].title;
}

/** The reason as the rest of a sentence about the lead ("Sam asked something the AI couldn't answer"). */
export function needsOwnerSummary(reason: NeedsOwnerReason): string {
  return REASON_WORDS[reason].short;
}

import { FOLLOW_UP_POLICY } from "./defaults.ts";
import { REPLY_DEBOUNCE_SECONDS } from "./reply-debounce.ts";

// When the lead page says the queued reply goes out. The engine's timing (docs/decisions/0010): the
// reply job runs REPLY_DEBOUNCE_SECONDS after the lead's message (leads.reply_due_at, set by
// capture); that run draws the human-like delay (45 s to 4 min after the debounce, counted from the
// lead's message) and, when it lies ahead, puts the job off to it (reply_due_at moves there).

export interface ReplyEtaInput {
  /** leads.reply_due_at: when the reply job runs next. */
  dueAt: Date;
  /** The lead's latest message, which the reply answers (null: unknown, the due time is all we have). */
  lastInboundAt: Date | null;
  now: Date;
}

const SECOND_MS = 1000;
const MINUTE_MS = 60 * SECOND_MS;

/**
 * "Replies in about 2 min", "Replies in about 1-4 min" (the delay not drawn yet), "Replies within
 * 3 min", "Replies in under a minute", or "Reply expected any moment now" once the latest time has
 * passed (a busy worker).
 */
export function describeReplyEta(input: ReplyEtaInput): string {
  const { dueAt, lastInboundAt, now } = input;
  // Before the debounce run the due time is only that run: the send lies somewhere in the delay
  // window. Once it ran, the due time is at least the shortest delay after the lead's message.
  const earliestSend = lastInboundAt ? lastInboundAt.getTime() + (REPLY_DEBOUNCE_SECONDS + FOLLOW_UP_POLICY.replyDelayMinSeconds) * SECOND_MS : null;
  if (lastInboundAt && earliestSend !== null && dueAt.getTime() < earliestSend) {
    const latestSend = lastInboundAt.getTime() + (REPLY_DEBOUNCE_SECONDS + FOLLOW_UP_POLICY.replyDelayMaxSeconds) * SECOND_MS;
    return describeWindow(earliestSend - now.getTime(), latestSend - now.getTime());
  }
  // The delay is drawn: the job runs at the due time.
  const remainingMs = dueAt.getTime() - now.getTime();
  return describeWindow(remainingMs, remainingMs);
}

/** Words for a send expected between `earliestMs` and `latestMs` from now, rounded to minutes. */
function describeWindow(earliestMs: number, latestMs: number): string {
  if (latestMs <= 0) return "Reply expected any moment now";
  if (latestMs < MINUTE_MS) return "Replies in under a minute";
  const high = Math.round(latestMs / MINUTE_MS);
  if (earliestMs <= 0) return `Replies within ${high} min`;
  const low = Math.max(1, Math.round(earliestMs / MINUTE_MS));
  return low >= high ? `Replies in about ${high} min` : `Replies in about ${low}-${high} min`;
}

/** A duration of the reply timing in words: 240 -> "4 minutes", 45 -> "45 seconds". */
function spellSeconds(seconds: number): string {
  return seconds % 60 === 0 ? `${seconds / 60} minute${seconds === 60 ? "" : "s"}` : `${seconds} seconds`;
}

/** How replies are timed, in the engine's own numbers (the settings page says it next to the delay window). */
export function describeReplyPace(): string {
  return (
    `Replies to a lead's message don't use it: they wait ${spellSeconds(REPLY_DEBOUNCE_SECONDS)} for more messages, ` +
    `then ${spellSeconds(FOLLOW_UP_POLICY.replyDelayMinSeconds)} to ${spellSeconds(FOLLOW_UP_POLICY.replyDelayMaxSeconds)}, ` +
    "like a person typing, at any hour (quiet hours hold follow-ups, not replies)."
  );
}

import { estimateTokens } from "../knowledge/tokens.ts";

// The slice of a conversation the model is shown: as many of the newest messages as fit a token
// budget, instead of a fixed count (twelve one-word DMs and twelve long emails are not the same
// prompt). What falls out of the window is folded into the lead's rolling summary
// (docs/decisions/0024).

/** What the window reads of a message; the engine's rows carry more (ids, delivery status). */
export interface WindowMessage {
  direction: "inbound" | "outbound";
  body: string;
  sentAt: Date;
}

export interface HistoryWindowOptions {
  budgetTokens: number;
  /** The text of a message as the model is shown it (already capped), which is what is counted. */
  shownText: (body: string) => string;
}

export interface HistoryWindow<T extends WindowMessage> {
  /** Oldest first: what the model is shown. */
  window: T[];
  /** Oldest first: the messages before the window (the summary's to hold). */
  older: T[];
}

/**
 * Chat APIs frame every message with a few tokens of their own (OpenAI's cookbook counts 3-4 per
 * message), so a run of one-word messages is not free.
 */
export const MESSAGE_OVERHEAD_TOKENS = 4;

export function messageTokens(shown: string): number {
  return estimateTokens(shown) + MESSAGE_OVERHEAD_TOKENS;
}

/**
 * The newest messages that fit `budgetTokens`, walking back from the newest, as one unbroken run
 * (a gap in the middle would put words in the wrong context). The run always reaches back to the
 * lead's latest message, whatever it costs (capped by `shownText`): a reply must see what it
 * answers. Without any lead message it still holds the newest message. Sorted by sentAt; equal
 * times keep their input order.
 */
export function selectHistoryWindow<T extends WindowMessage>(history: readonly T[], options: HistoryWindowOptions): HistoryWindow<T> {
  const sorted = [...history].sort((a, b) => a.sentAt.getTime() - b.sentAt.getTime());
  const latestInbound = sorted.findLastIndex((message) => message.direction === "inbound");
  const mustReach = latestInbound === -1 ? sorted.length - 1 : latestInbound;
  let used = 0;
  let start = sorted.length;
  while (start > 0) {
    const cost = messageTokens(options.shownText((sorted[start - 1] as T).body));
    if (start - 1 >= mustReach || used + cost <= options.budgetTokens) {
      used += cost;
      start -= 1;
    } else {
      break;
    }
  }
  return { window: sorted.slice(start), older: sorted.slice(0, start) };
}

/**
 * Whether messages left the window that the summary does not hold yet: the newest message before
 * the window (`olderNewestAt`, null when none) is later than what the summary covers.
 */
export function summaryIsBehind(input: { olderNewestAt: Date | null; coversUntil: Date | null }): boolean {
  if (!input.olderNewestAt) return false;
  return !input.coversUntil || input.olderNewestAt.getTime() > input.coversUntil.getTime();
}

/**
 * Whether a message belongs to the conversation the model and the summary read: what reached (or
 * may have reached) the lead. A send the vendor refused (delivery "failed") never did.
 */
export function reachedTheLead(message: { deliveryStatus: string | null }): boolean {
  return message.deliveryStatus !== "failed";
}

import { SEARCH_QUERY_MAX_CHARS } from "../knowledge/limits.ts";
import { capAtWordEnd } from "../text/cap.ts";
import { FOLLOW_UP_POLICY } from "./defaults.ts";
import type { NeedsOwnerReason } from "../needs-you/reasons.ts";
import type { HistoryMessage } from "./draft-context.ts";
import { recentHistory } from "./draft-rules.ts";
import type { KnowledgePassage, KnowledgeSource } from "./ports.ts";

// Grounded replies (docs/decisions/0021): what the engine and "Preview next message" search the
// brand's knowledge for, and what the owner is shown when the knowledge did not answer. One
// definition for both callers, so a preview is grounded exactly like the message the engine sends.

/**
 * The most of the lead's question kept on the lead for the owner ("The AI couldn't answer: …"):
 * two or three chat lines; the whole conversation is one click away on the lead page.
 */
export const NEEDS_OWNER_DETAIL_MAX_CHARS = 300;


export interface NeedsOwner {
  reason: NeedsOwnerReason;
  /** The lead's words the AI could not answer, at most NEEDS_OWNER_DETAIL_MAX_CHARS. */
  detail: string;
}

const NOT_SPACE = /\S/;

/**
 * The lead's words the next message answers, oldest first: their messages since our last one
 * (every line of a burst is part of the question), or their latest message when we spoke last
 * (a follow-up is about what they last asked). At most `maxChars`, taken from the newest
 * backwards and cut before a word, so the latest question always survives the cut.
 */
export function pendingLeadWords(history: readonly HistoryMessage[], maxChars: number): string {
  const messages = recentHistory(history);
  const lastOutbound = messages.findLastIndex((message) => message.direction === "outbound");
  let pending = messages.slice(lastOutbound + 1).filter((message) => message.direction === "inbound");
  if (pending.length === 0) pending = messages.filter((message) => message.direction === "inbound").slice(-1);
  const kept: string[] = [];
  let room = maxChars;
  for (let index = pending.length - 1; index >= 0 && room > 0; index -= 1) {
    const body = (pending[index] as HistoryMessage).body.trim();
    if (body === "") continue;
    const cut = capAtWordEnd(body, room, NOT_SPACE).trim();
    if (cut === "") break;
    kept.unshift(cut);
    room -= cut.length + 1;
  }
  return kept.join("\n");
}

/** The knowledge search query for the next message: the lead's pending words, as much as search reads. */
export function knowledgeQueryFor(history: readonly HistoryMessage[]): string {
  return pendingLeadWords(history, SEARCH_QUERY_MAX_CHARS);
}

/** The passages the next message is grounded in (at most FOLLOW_UP_POLICY.knowledgeLimit); none when the lead said nothing searchable. */
export async function findKnowledgeFor(
  source: KnowledgeSource,
  request: { userId: string; history: readonly HistoryMessage[] },
): Promise<KnowledgePassage[]> {
  const query = knowledgeQueryFor(request.history);
  if (query === "") return [];
  return source.findPassages({ userId: request.userId, query, limit: FOLLOW_UP_POLICY.knowledgeLimit });
}

/** The flag for a reply that could not answer the lead: their question, as the owner will read it. */
export function unansweredQuestion(history: readonly HistoryMessage[]): NeedsOwner {
  return { reason: "unanswered_question", detail: pendingLeadWords(history, NEEDS_OWNER_DETAIL_MAX_CHARS) };
}

import { sourceText } from "../followup/draft-rules.ts";
import { GenerationError, type ChatPrompt, type TextGenerator } from "../followup/ports.ts";
import { capAtWordEnd, capLength } from "../text/cap.ts";
import { extractiveSummary, SUMMARY_MAX_CHARS, SUMMARY_MESSAGE_READ_CHARS } from "./extractive-summary.ts";
import type { WindowMessage } from "./history-window.ts";

// Folding the messages that left the prompt's window into the lead's rolling summary
// (docs/decisions/0024): with a model, a short summary prompt; without one (or when the model
// refuses this request for good), the extractive summary.

/** The model's answer budget: SUMMARY_MAX_CHARS is about 300 tokens. */
export const SUMMARY_OUTPUT_TOKENS = 350;

export interface SummaryRequest {
  brandName: string;
  /** The summary so far, or null before the first fold. */
  previous: string | null;
  /** Oldest first: the messages to fold in. */
  messages: readonly Pick<WindowMessage, "direction" | "body">[];
}

/** The prompt that asks the model to fold `messages` into `previous`. */
export function buildSummaryPrompt(request: SummaryRequest): ChatPrompt {
  const transcript = request.messages
    .map((message) => `${message.direction === "inbound" ? "Lead" : request.brandName}: ${sourceText(capLength(message.body, SUMMARY_MESSAGE_READ_CHARS))}`)
    .join("\n");
  return {
    system: [
      `You keep the running summary of a conversation between ${request.brandName} and a lead, for the team member who writes the next message.`,
      "Update the summary with the new messages. Keep what the lead asked, wants and said about themselves (needs, dates, budget, constraints), what was offered, agreed or promised, and questions still open.",
      `Write plain sentences in the language of the conversation, at most ${SUMMARY_MAX_CHARS} characters in all: no greeting, no headings, no markdown, nothing that is not in the messages or the summary so far.`,
      "Answer with the updated summary only.",
    ].join("\n"),
    turns: [{ role: "user", content: `Summary so far:\n${request.previous?.trim() || "(none yet)"}\n\nNew messages, oldest first:\n${transcript}` }],
  };
}

export interface SummaryResult {
  text: string;
  source: "model" | "extractive";
}

/**
 * The summary after `messages`. A model that is down (a retryable GenerationError) throws, so the
 * job runs again later; a model that will never take this request falls back to the extractive
 * summary, so the conversation's memory still moves on.
 */
export async function summarizeConversation(request: SummaryRequest & { generator: TextGenerator | null }): Promise<SummaryResult> {
  if (request.generator) {
    try {
      const answer = await request.generator.generate(buildSummaryPrompt(request), { purpose: "summarize", maxOutputTokens: SUMMARY_OUTPUT_TOKENS });
      const text = capAtWordEnd(answer.trim(), SUMMARY_MAX_CHARS, /\S/).trim();
      if (text !== "") return { text, source: "model" };
    } catch (error) {
      if (!(error instanceof GenerationError) || error.retryable) throw error;
    }
  }
  return { text: extractiveSummary(request), source: "extractive" };
}

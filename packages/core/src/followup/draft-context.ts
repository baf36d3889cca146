import type { LeadFactKind } from "../facts/fact-kinds.ts";
import type { KnowledgePassage, OutboundChannel } from "./ports.ts";

// Everything the drafting step knows about one message to write, assembled by the engine from the
// database (brand settings, lead, last messages, knowledge) and handed to core as plain data.

export interface HistoryMessage {
  direction: "inbound" | "outbound";
  body: string;
  sentAt: Date;
  channel: OutboundChannel;
}

export interface DraftContext {
  brand: {
    name: string;
    /** The owner's own words about tone and rules ("friendly, no emojis, we never discount"). */
    voiceRules: string;
    /** Add a line saying replies are automated (required in some places, e.g. California, Germany). */
    disclosureEnabled: boolean;
  };
  lead: {
    /** From firstNameOf; null when unsure (the message then greets without a name). */
    firstName: string | null;
    /** The lead fact `language` (BCP 47, e.g. "es"), if known. */
    language: string | null;
    /** Other lead facts worth knowing (key -> value). */
    facts: Record<string, string>;
    /** What the lead told us about themselves (docs/decisions/0022), said in words in the prompt. */
    knownFacts?: readonly { kind: LeadFactKind; value: string }[];
    tags: string[];
  };
  /** The conversation, oldest first; the model sees the newest that fit FOLLOW_UP_POLICY.historyTokenBudget. */
  history: HistoryMessage[];
  /** The lead's rolling summary of the messages that left the window (docs/decisions/0024); null: none yet. */
  conversationSummary: string | null;
  /** Brand knowledge found for the lead's recent messages, best first: the numbered sources, the only source of prices and links. */
  knowledge: KnowledgePassage[];
  /** No message of ours reached the lead yet: greet them. */
  isFirstOutbound: boolean;
  purpose: "reply" | "follow_up";
  /** 1-based follow-up step; 0 for a reply. */
  step: number;
  channel: OutboundChannel;
  /** The text will be spoken as a voice note. */
  voice: boolean;
  /** Subject of the lead's latest email, when the conversation is an email thread. */
  emailSubject?: string | null;
}

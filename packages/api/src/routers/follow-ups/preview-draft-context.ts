import { factValue, firstNameOf, reachedTheLead, type DraftContext, type OutboundChannel } from "@audnix/core";
import { UNSUBSCRIBE_TOKEN_FACT, type FollowUpContext, type LoadedConversation } from "@audnix/db";

// A secret of the engine's, not something about the lead; the model never sees it.
const CONTROL_FACTS = new Set<string>([UNSUBSCRIBE_TOKEN_FACT]);

/** Shown in the greeting when the owner has not named the brand yet. */
const UNNAMED_BRAND = "our team";

/**
 * The message the engine would write next for this lead: the reply when the lead spoke last,
 * otherwise the next follow-up step, on the planned step's channel when there is one. The
 * conversation is the one the engine loads for a draft (loadConversation), with its summary.
 */
export function previewDraftContext(
  context: FollowUpContext,
  plannedStep: { step: number; channel: OutboundChannel } | null,
  conversation: LoadedConversation,
): DraftContext {
  const { lead, facts, messages, brand } = context;
  const leadSpokeLast = messages.at(-1)?.direction === "inbound";
  const purpose = leadSpokeLast ? "reply" : "follow_up";
  return {
    brand: { name: brand.brandName ?? UNNAMED_BRAND, voiceRules: brand.voiceRules, disclosureEnabled: brand.disclosureEnabled },
    lead: {
      firstName: firstNameOf({ preferredName: factValue(context.memoryFacts, "preferred_name"), name: lead.name, email: lead.email }),
      language: factValue(context.memoryFacts, "language"),
      facts: Object.fromEntries(Object.entries(facts).filter(([key]) => !CONTROL_FACTS.has(key))),
      knownFacts: context.memoryFacts,
      tags: lead.tags,
    },
    history: conversation.messages.filter(reachedTheLead).map(({ direction, body, sentAt, channel }) => ({ direction, body, sentAt, channel })),
    conversationSummary: conversation.summary?.content || null,
    // The handler grounds it (findKnowledgeFor), from the history above.
    knowledge: [],
    isFirstOutbound: !messages.some((message) => message.direction === "outbound"),
    purpose,
    step: purpose === "reply" ? 0 : (plannedStep?.step ?? context.stepsSent + 1),
    channel: plannedStep?.channel ?? lead.channel,
    voice: false,
  };
}

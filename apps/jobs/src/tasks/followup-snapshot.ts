import {
  PLAN_LIMITS,
  factValue,
  firstNameOf,
  leadFollowUpBlock,
  reachedTheLead,
  type DraftContext,
  type KnowledgePassage,
  type LeadSnapshot,
  type OutboundChannel,
} from "@audnix/core";
import { emailThread, lastInboundByChannel, reachableChannels, UNSUBSCRIBE_TOKEN_FACT, type FollowUpContext, type FollowUpInbound, type LoadedConversation } from "@audnix/db";

// Turns the stored context of a lead into the plain data core's policy and drafting take.

const ALL_CHANNELS: readonly OutboundChannel[] = ["instagram", "whatsapp", "email", "sandbox"];

// A secret of the engine's; the model never sees it.
const INTERNAL_FACTS = new Set<string>([UNSUBSCRIBE_TOKEN_FACT]);

/** The lead's newest inbound message on any channel. */
export function latestInbound(context: FollowUpContext): (FollowUpInbound & { channel: OutboundChannel }) | null {
  let latest: (FollowUpInbound & { channel: OutboundChannel }) | null = null;
  for (const channel of ALL_CHANNELS) {
    const message = context.lastInbound[channel];
    if (message && (!latest || message.sentAt > latest.sentAt)) latest = { ...message, channel };
  }
  return latest;
}

function latestOf(dates: (Date | undefined)[]): Date | null {
  const times = dates.filter((value): value is Date => value !== undefined).map((value) => value.getTime());
  return times.length > 0 ? new Date(Math.max(...times)) : null;
}

export function leadSnapshot(context: FollowUpContext): LeadSnapshot {
  return {
    status: context.lead.status,
    originChannel: context.lead.channel,
    reachable: reachableChannels(context),
    lastInboundAt: latestInbound(context)?.sentAt ?? null,
    lastOutboundAt: latestOf(Object.values(context.lastOutbound)),
    lastInboundByChannel: lastInboundByChannel(context),
    optedOut: context.lead.optedOutAt !== null,
    aiPaused: context.lead.aiPausedAt !== null,
    needsOwner: context.lead.needsOwnerAt !== null,
    timeZone: factValue(context.memoryFacts, "timezone"),
  };
}

/** Why the plan forbids sending to this lead (core's leadFollowUpBlock, which "Follow up now" obeys too). */
export function followUpBlockOf(context: FollowUpContext, now: Date): string | null {
  return leadFollowUpBlock(context.lead.aiBlockedReason, context.account, now);
}

export function remainingVoiceSeconds(context: FollowUpContext): number {
  const limitMinutes = PLAN_LIMITS[context.account.plan].voiceMinutes;
  return Math.max(0, (limitMinutes - context.account.voiceMinutesUsed) * 60);
}

export function draftContext(
  context: FollowUpContext,
  input: {
    purpose: DraftContext["purpose"];
    step: number;
    channel: OutboundChannel;
    voice: boolean;
    /** The conversation and summary loaded for drafting; without it, the context's own last messages. */
    conversation?: LoadedConversation;
    knowledge: KnowledgePassage[];
  },
): DraftContext {
  const { lead, facts, brand } = context;
  // Only what reached (or may have reached) the lead is conversation; failed sends are not. A
  // draft gets the conversation loaded for it (loadConversation: more rows, and the summary); core
  // trims it to the token window.
  const history = (input.conversation?.messages ?? context.messages)
    .filter(reachedTheLead)
    .map((message) => ({ direction: message.direction, body: message.body, sentAt: message.sentAt, channel: message.channel }));
  return {
    brand: { name: brand.brandName ?? "our team", voiceRules: brand.voiceRules, disclosureEnabled: brand.disclosureEnabled },
    lead: {
      firstName: firstNameOf({ preferredName: factValue(context.memoryFacts, "preferred_name"), name: lead.name, email: lead.email }),
      language: factValue(context.memoryFacts, "language"),
      facts: Object.fromEntries(Object.entries(facts).filter(([key]) => !INTERNAL_FACTS.has(key))),
      knownFacts: context.memoryFacts,
      tags: lead.tags,
    },
    history,
    conversationSummary: input.conversation?.summary?.content || null,
    knowledge: input.knowledge,
    isFirstOutbound: !history.some((message) => message.direction === "outbound"),
    purpose: input.purpose,
    step: input.step,
    channel: input.channel,
    voice: input.voice,
    emailSubject: emailThread(context).subject,
  };
}

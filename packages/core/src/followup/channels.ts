import { FOLLOW_UP_POLICY } from "./defaults.ts";
import type { OutboundChannel } from "./ports.ts";

const HOUR_MS = 60 * 60 * 1000;

/**
 * Escalation order for a lead who stops answering: Instagram (where most conversations start),
 * then WhatsApp, then email. Sandbox leads live only in the sandbox.
 */
export const CHANNEL_ESCALATION_ORDER: readonly OutboundChannel[] = ["instagram", "whatsapp", "email", "sandbox"];

const WINDOWED_CHANNELS: ReadonlySet<OutboundChannel> = new Set(["instagram", "whatsapp"]);

export interface MessagingWindow {
  open: boolean;
  /** When free-form messages stop being allowed; null for channels without a window. */
  closesAt: Date | null;
}

/**
 * Instagram and WhatsApp accept free-form messages only within 24 h of the lead's last message ON
 * THAT CHANNEL (our own messages do not extend it); email and sandbox are always open. At exactly
 * 24 h the window is closed.
 */
export function messagingWindow(input: {
  channel: OutboundChannel;
  lastInboundOnChannelAt: Date | null;
  now: Date;
}): MessagingWindow {
  if (!WINDOWED_CHANNELS.has(input.channel)) return { open: true, closesAt: null };
  if (input.lastInboundOnChannelAt === null) return { open: false, closesAt: null };
  const closesAt = new Date(input.lastInboundOnChannelAt.getTime() + FOLLOW_UP_POLICY.messagingWindowHours * HOUR_MS);
  return { open: input.now.getTime() < closesAt.getTime(), closesAt };
}

export interface WhatsappTemplateRef {
  name: string;
  languageCode: string;
}

/** Who writes the message: the platforms allow a person more than an automated sender. */
export type MessageSender = "ai" | "owner";

/** How a message may go out: free text, free text tagged HUMAN_AGENT (Instagram), or the approved template (WhatsApp). */
export type SendMode = "free_form" | "human_agent_tag" | "template";

export type ChannelMode =
  | { open: true; mode: SendMode; /** When this mode stops being allowed; null: never. */ closesAt: Date | null }
  | { open: false; reason: "never_wrote" | "window_closed" | "no_template" };

const DAY_MS = 24 * HOUR_MS;

/**
 * The one rule for what a sender may send on a channel now. Instagram and WhatsApp: free form
 * within 24 h of the lead's last message there (messagingWindow). Past it, on Instagram a person
 * (never the AI) may reply with the HUMAN_AGENT tag until 7 days after that message (Meta's message
 * tags: "human agent", developers.facebook.com/docs/messenger-platform/send-messages/message-tags);
 * on WhatsApp only the brand's approved template may go out. At exactly 7 days the tag window is
 * closed too. Email and sandbox are always open.
 */
export function channelMode(input: {
  channel: OutboundChannel;
  sender: MessageSender;
  lastInboundOnChannelAt: Date | null;
  hasWhatsappTemplate: boolean;
  now: Date;
}): ChannelMode {
  const window = messagingWindow({ channel: input.channel, lastInboundOnChannelAt: input.lastInboundOnChannelAt, now: input.now });
  if (window.open) return { open: true, mode: "free_form", closesAt: window.closesAt };
  if (input.channel === "whatsapp") {
    return input.hasWhatsappTemplate ? { open: true, mode: "template", closesAt: null } : { open: false, reason: "no_template" };
  }
  if (input.lastInboundOnChannelAt === null) return { open: false, reason: "never_wrote" };
  if (input.channel === "instagram" && input.sender === "owner") {
    const closesAt = new Date(input.lastInboundOnChannelAt.getTime() + FOLLOW_UP_POLICY.humanAgentWindowDays * DAY_MS);
    if (input.now.getTime() < closesAt.getTime()) return { open: true, mode: "human_agent_tag", closesAt };
  }
  return { open: false, reason: "window_closed" };
}

export interface ChannelChoiceInput {
  kind: "reply" | "follow_up";
  /** The channel the lead first wrote on (leads.channel). */
  originChannel: OutboundChannel;
  /** Channels the lead has an address on. */
  reachable: readonly OutboundChannel[];
  /** Channels the owner connected (sandbox always counts as connected). */
  connected: readonly OutboundChannel[];
  lastInboundByChannel: Partial<Record<OutboundChannel, Date | null>>;
  /** 1-based follow-up step; 0 for a reply. */
  step: number;
  /** The owner's approved WhatsApp template, usable outside the 24 h window. */
  whatsappTemplate: WhatsappTemplateRef | null;
  /** Channels already refused (a "window_closed" SendOutcome): re-plan without them. */
  exclude?: readonly OutboundChannel[];
  now: Date;
}

export type ChannelChoice =
  | { channel: OutboundChannel; mode: "free_form" | "template" }
  | { stop: "no_channel"; detail: string };

/**
 * Where the next message goes. Candidates are the channels the lead is reachable on AND the owner
 * connected, minus `exclude`, in CHANNEL_ESCALATION_ORDER. A reply starts on the channel the lead
 * wrote on; a follow-up from step FOLLOW_UP_POLICY.escalateFromStep (2) on starts one candidate
 * further down the order (the lead went quiet where they were). From the start we walk down the
 * order, then back to the channels above it, and take the first that may carry the message: an open
 * window gives free form, WhatsApp outside its window uses the approved template when there is one,
 * otherwise we move on. The rule is channelMode's with the AI as sender: no HUMAN_AGENT tag.
 */
export function chooseChannel(input: ChannelChoiceInput): ChannelChoice {
  const excluded = new Set(input.exclude ?? []);
  const connected = new Set<OutboundChannel>([...input.connected, "sandbox"]);
  const candidates = CHANNEL_ESCALATION_ORDER.filter(
    (channel) => input.reachable.includes(channel) && connected.has(channel) && !excluded.has(channel),
  );
  if (candidates.length === 0) {
    return { stop: "no_channel", detail: "The lead has no address on a connected channel that is still allowed." };
  }
  const originRank = CHANNEL_ESCALATION_ORDER.indexOf(input.originChannel);
  const escalate = input.kind === "follow_up" && input.step >= FOLLOW_UP_POLICY.escalateFromStep;
  const rank = (channel: OutboundChannel) => CHANNEL_ESCALATION_ORDER.indexOf(channel);
  const below = candidates.filter((channel) => rank(channel) > originRank);
  const startChannel =
    (escalate ? below[0] : undefined) ??
    (candidates.includes(input.originChannel) ? input.originChannel : undefined) ??
    below[0] ??
    candidates[0];
  const startRank = rank(startChannel as OutboundChannel);
  const preference = [
    ...candidates.filter((channel) => rank(channel) >= startRank),
    ...candidates.filter((channel) => rank(channel) < startRank),
  ];
  const refusals: string[] = [];
  for (const channel of preference) {
    const mode = channelMode({
      channel,
      sender: "ai",
      lastInboundOnChannelAt: input.lastInboundByChannel[channel] ?? null,
      hasWhatsappTemplate: input.whatsappTemplate !== null,
      now: input.now,
    });
    // The AI is never given the tag mode (channelMode keeps HUMAN_AGENT for people).
    if (mode.open && mode.mode !== "human_agent_tag") return { channel, mode: mode.mode };
    refusals.push(channel === "whatsapp" ? "whatsapp (24 h window closed, no approved template)" : `${channel} (24 h window closed)`);
  }
  return { stop: "no_channel", detail: `No channel may carry the message: ${refusals.join(", ")}.` };
}

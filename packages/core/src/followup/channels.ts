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
 * otherwise we move on. There is no message-tag mode: HUMAN_AGENT is for people, never for the AI.
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
    const window = messagingWindow({ channel, lastInboundOnChannelAt: input.lastInboundByChannel[channel] ?? null, now: input.now });
    if (window.open) return { channel, mode: "free_form" };
    if (channel === "whatsapp" && input.whatsappTemplate !== null) return { channel, mode: "template" };
    refusals.push(channel === "whatsapp" ? "whatsapp (24 h window closed, no approved template)" : `${channel} (24 h window closed)`);
  }
  return { stop: "no_channel", detail: `No channel may carry the message: ${refusals.join(", ")}.` };
}

import { CHANNEL_ESCALATION_ORDER, channelMode, type MessageSender, type SendMode } from "./channels.ts";
import { FOLLOW_UP_POLICY } from "./defaults.ts";
import type { OutboundChannel } from "./ports.ts";

// Where the owner's reply box may send, and why the other channels are closed (issue 11): the same
// channelMode rule the AI's channel choice uses, with the sender named.

export interface ReplyChannelInput {
  sender: MessageSender;
  /** Channels the lead has an address on. */
  reachable: readonly OutboundChannel[];
  /** Channels the owner connected (sandbox always counts as connected). */
  connected: readonly OutboundChannel[];
  lastInboundByChannel: Partial<Record<OutboundChannel, Date | null>>;
  hasWhatsappTemplate: boolean;
  now: Date;
}

export type ReplyChannelClosedReason = "not_connected" | "never_wrote" | "window_closed" | "no_template";

export type ReplyChannelOption =
  | { channel: OutboundChannel; open: true; mode: SendMode; closesAt: Date | null; lastInboundAt: Date | null }
  | { channel: OutboundChannel; open: false; reason: ReplyChannelClosedReason; lastInboundAt: Date | null };

/** Every channel the lead can be reached on, in escalation order, open (with its mode) or closed (with the reason). */
export function replyChannelOptions(input: ReplyChannelInput): ReplyChannelOption[] {
  const connected = new Set<OutboundChannel>([...input.connected, "sandbox"]);
  return CHANNEL_ESCALATION_ORDER.filter((channel) => input.reachable.includes(channel)).map((channel) => {
    const lastInboundAt = input.lastInboundByChannel[channel] ?? null;
    if (!connected.has(channel)) return { channel, open: false, reason: "not_connected", lastInboundAt };
    const mode = channelMode({ channel, sender: input.sender, lastInboundOnChannelAt: lastInboundAt, hasWhatsappTemplate: input.hasWhatsappTemplate, now: input.now });
    return mode.open
      ? { channel, open: true, mode: mode.mode, closesAt: mode.closesAt, lastInboundAt }
      : { channel, open: false, reason: mode.reason, lastInboundAt };
  });
}

/** The option for `channel`; null when the lead has no address there. */
export function replyChannelOption(options: readonly ReplyChannelOption[], channel: OutboundChannel): ReplyChannelOption | null {
  return options.find((option) => option.channel === channel) ?? null;
}

const CHANNEL_LABELS: Record<OutboundChannel, string> = { instagram: "Instagram", whatsapp: "WhatsApp", email: "Email", sandbox: "Sandbox" };

const HOUR_MS = 60 * 60 * 1000;

/** "less than an hour", "5 hours", "9 days": whole units, rounded down, as a person says it. */
export function spanText(ms: number): string {
  const hours = Math.floor(Math.max(0, ms) / HOUR_MS);
  if (hours < 1) return "less than an hour";
  if (hours < 48) return hours === 1 ? "1 hour" : `${hours} hours`;
  return `${Math.floor(hours / 24)} days`;
}

/** One line the reply box shows for a channel: why it is closed, or how a reply goes out there. */
export function describeReplyChannel(option: ReplyChannelOption, now: Date): string {
  const name = CHANNEL_LABELS[option.channel];
  const wrote = option.lastInboundAt ? `the lead last wrote ${spanText(now.getTime() - option.lastInboundAt.getTime())} ago` : null;
  const left = option.open && option.closesAt ? spanText(option.closesAt.getTime() - now.getTime()) : null;
  if (!option.open) {
    switch (option.reason) {
      case "not_connected":
        return `${name}: not connected. Connect it on the Connections page to reply there.`;
      case "never_wrote":
        return `${name}: the lead has not written to you on ${name}, and ${name} only allows replies to people who did.`;
      case "no_template":
        return `${name}: ${wrote ?? `the lead has not written on ${name}`}; outside ${FOLLOW_UP_POLICY.messagingWindowHours} h ${name} only allows an approved template, and none is set in Settings.`;
      case "window_closed":
        return option.channel === "instagram"
          ? `${name}: ${wrote}; ${name} allows replies up to ${FOLLOW_UP_POLICY.humanAgentWindowDays} days.`
          : `${name}: ${wrote}; ${name} allows replies up to ${FOLLOW_UP_POLICY.messagingWindowHours} h.`;
    }
  }
  switch (option.mode) {
    case "human_agent_tag":
      return `${name}: ${wrote}; you can still reply for ${left} (sent with Instagram's human agent tag, which only a person may use).`;
    case "template":
      return `${name}: ${wrote ?? `the lead has not written on ${name}`}; outside ${FOLLOW_UP_POLICY.messagingWindowHours} h only your approved template is sent, not your text.`;
    case "free_form":
      return left ? `${name}: ${wrote}; open for ${left} more.` : `${name}: open.`;
  }
}

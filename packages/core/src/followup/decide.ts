import type { RandomSource } from "../random.ts";
import { chooseChannel, type WhatsappTemplateRef } from "./channels.ts";
import type { FollowUpSettings } from "./defaults.ts";
import type { OutboundChannel } from "./ports.ts";
import { isInQuietHours, nextAllowedInstant } from "./quiet-hours.ts";
import { stopReason, type LeadStatus, type StopReason } from "./stop-rules.ts";
import { resolveTimeZone } from "./time-zone.ts";
import { shouldSendVoice } from "./voice.ts";

// One call per job: the task loads a snapshot, asks decideNextAction, and persists what it says.

export interface LeadSnapshot {
  status: LeadStatus;
  /** The channel the lead first wrote on (leads.channel). */
  originChannel: OutboundChannel;
  /** Channels the lead has an address on. */
  reachable: readonly OutboundChannel[];
  /** Latest message from the lead / from us, on any channel. */
  lastInboundAt: Date | null;
  lastOutboundAt: Date | null;
  /** Latest message from the lead per channel (the 24 h windows). */
  lastInboundByChannel: Partial<Record<OutboundChannel, Date | null>>;
  /** leads.opted_out_at, leads.ai_paused_at and leads.needs_owner_at are set; lead fact timezone. */
  optedOut: boolean;
  aiPaused: boolean;
  needsOwner: boolean;
  timeZone: string | null;
}

export interface DecisionInput {
  /**
   * reply: answer the lead's latest message. step: a planned follow-up step. now: the owner pressed
   * "Follow up now" (a step that ignores quiet hours: the owner chose the moment).
   */
  kind: "reply" | "step" | "now";
  /** 1-based step to send (step/now); 0 for a reply. */
  step: number;
  lead: LeadSnapshot;
  settings: FollowUpSettings;
  whatsappTemplate: WhatsappTemplateRef | null;
  /** Channels the owner connected (sandbox always counts). */
  connected: readonly OutboundChannel[];
  /** Why the plan forbids sending, or null. */
  followUpBlock: string | null;
  voice: { featureEnabled: boolean; brandEnabled: boolean; remainingSeconds: number };
  /** Channels that already answered "window_closed" for this message. */
  exclude?: readonly OutboundChannel[];
  now: Date;
  random: RandomSource;
}

export type Decision =
  | { action: "send"; channel: OutboundChannel; mode: "free_form" | "template"; voice: boolean }
  | { action: "stop"; reason: StopReason | "no_channel"; detail?: string }
  | { action: "defer"; until: Date; reason: "quiet_hours" };

/**
 * What to do with one reply or follow-up job: stop (and why), wait until quiet hours end, or send
 * on a channel in a mode, possibly as a voice note. Replies are never held for quiet hours (the
 * lead just wrote); steps that come due inside quiet hours (a late worker) wait for their end.
 */
export function decideNextAction(input: DecisionInput): Decision {
  const { lead, settings } = input;
  // LeadSnapshot names its fields as the stop rules and the channel choice do, so it passes through.
  const stop = stopReason({
    ...lead,
    kind: input.kind === "reply" ? "reply" : "step",
    stepNumber: input.step,
    maxSteps: settings.followUpStepsMinutes.length,
    followUpBlock: input.followUpBlock,
  });
  if (stop !== null) return { action: "stop", reason: stop };
  if (input.kind === "step") {
    const quietHours = { start: settings.quietHoursStart, end: settings.quietHoursEnd };
    const timeZone = resolveTimeZone(lead.timeZone, settings.timezone);
    if (isInQuietHours(input.now, quietHours, timeZone)) {
      return { action: "defer", until: nextAllowedInstant(input.now, quietHours, timeZone, input.random), reason: "quiet_hours" };
    }
  }
  const choice = chooseChannel({
    ...lead,
    kind: input.kind === "reply" ? "reply" : "follow_up",
    connected: input.connected,
    step: input.step,
    whatsappTemplate: input.whatsappTemplate,
    exclude: input.exclude ?? [],
    now: input.now,
  });
  if ("stop" in choice) return { action: "stop", reason: choice.stop, detail: choice.detail };
  const voice =
    choice.mode === "free_form" &&
    shouldSendVoice({
      voiceFeatureEnabled: input.voice.featureEnabled,
      brandVoiceEnabled: input.voice.brandEnabled,
      channel: choice.channel,
      remainingVoiceSeconds: input.voice.remainingSeconds,
      isFirstOutbound: lead.lastOutboundAt === null,
      random: input.random,
    });
  return { action: "send", channel: choice.channel, mode: choice.mode, voice };
}

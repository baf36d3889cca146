import type { OutboundChannel } from "./ports.ts";

// The follow-up policy's defaults and limits in one place. The settings values mirror the column
// defaults of BrandSettings in packages/db/prisma/schema.prisma (a test reads the schema to keep
// them equal), so an owner who never saved the form gets exactly what the database would store.

/** The brand settings the follow-up policy reads (field names as in the BrandSettings model). */
export interface FollowUpSettings {
  /** IANA zone used for quiet hours when the lead's own zone is unknown. */
  timezone: string;
  /** "HH:MM" local time; the window may wrap midnight (21:00 -> 08:00). Equal values = no quiet hours. */
  quietHoursStart: string;
  quietHoursEnd: string;
  /** Ascending offsets of the follow-up steps (see planStepTime for what they count from). */
  followUpStepsMinutes: number[];
  /** Random extra delay added to every step, in minutes. */
  delayMinMinutes: number;
  delayMaxMinutes: number;
}

export const DEFAULT_FOLLOW_UP_SETTINGS: FollowUpSettings = {
  timezone: "UTC",
  quietHoursStart: "21:00",
  quietHoursEnd: "08:00",
  followUpStepsMinutes: [60, 1440, 4320],
  delayMinMinutes: 10,
  delayMaxMinutes: 120,
};

export const FOLLOW_UP_POLICY = {
  /** A reply waits this long (after the debounce) so it reads like a person typing, not a bot. */
  replyDelayMinSeconds: 45,
  replyDelayMaxSeconds: 240,
  /** A time pushed out of quiet hours lands this many minutes (at most) after they end. */
  quietHoursExitJitterMaxMinutes: 30,
  /** Instagram and WhatsApp allow free-form messages this long after the lead's last message. */
  messagingWindowHours: 24,
  /** Instagram: a person (never the AI) may reply with the HUMAN_AGENT tag this long after the lead's last message. */
  humanAgentWindowDays: 7,
  /** From this follow-up step on, the sequence moves one channel down the escalation order. */
  escalateFromStep: 2,
  /**
   * The conversation the model sees: the newest messages that fit this many tokens (about 12,000
   * characters), always back to the lead's latest message (selectHistoryWindow). Older ones reach
   * the model as the lead's summary (docs/decisions/0024).
   */
  historyTokenBudget: 3_000,
  /** Newest messages of a lead loaded for the window (the budget trims them): 40 one-line DMs fit. */
  historyRowsLoaded: 40,
  /** Knowledge snippets the model sees at most. */
  knowledgeLimit: 5,
} as const;

/** Longest message we send per channel (characters), well under every platform's own limit. */
export const MAX_MESSAGE_CHARS: Record<OutboundChannel, number> = {
  instagram: 500,
  whatsapp: 600,
  sandbox: 600,
  email: 1500,
};

/** Voice notes are sized for 14-20 seconds of speech. */
export const VOICE_NOTE = {
  minSeconds: 14,
  maxSeconds: 20,
  wordsPerSecond: 2.6,
} as const;

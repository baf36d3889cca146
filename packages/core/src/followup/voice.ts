import type { RandomSource } from "../random.ts";
import { isWhitespaceUnit } from "../text/whitespace.ts";
import { VOICE_NOTE } from "./defaults.ts";
import type { OutboundChannel } from "./ports.ts";

/**
 * Roughly how long `text` takes to say: words / 2.6 per second (a relaxed speaking pace). Words
 * are counted in one pass without building them, so any length is cheap and the count exact.
 */
export function estimateSpeechSeconds(text: string): number {
  let words = 0;
  let inWord = false;
  for (let index = 0; index < text.length; index += 1) {
    const blank = isWhitespaceUnit(text.charCodeAt(index));
    if (!blank && !inWord) words += 1;
    inWord = !blank;
  }
  return words / VOICE_NOTE.wordsPerSecond;
}

/** Whether `text` makes a 14-20 s voice note (about 36-52 words). */
export function fitsVoiceNote(text: string): boolean {
  const seconds = estimateSpeechSeconds(text);
  return seconds >= VOICE_NOTE.minSeconds && seconds <= VOICE_NOTE.maxSeconds;
}

/** How often an eligible message becomes a voice note: about one in three. */
export const VOICE_NOTE_SHARE = 1 / 3;

export interface VoiceChoiceInput {
  /** The platform's voice feature (ElevenLabs configured). */
  voiceFeatureEnabled: boolean;
  /** brand_settings.voice_enabled. */
  brandVoiceEnabled: boolean;
  channel: OutboundChannel;
  /** Voice seconds left in the plan this period. */
  remainingVoiceSeconds: number;
  /** The first message to the lead greets them in text, so they can read their name and who we are. */
  isFirstOutbound: boolean;
  random: RandomSource;
}

/**
 * Whether this message goes out as a voice note: only on WhatsApp, never the first message, only
 * with a full note's worth of plan minutes left, and then at random about one in three, so voice
 * stays a personal touch rather than a pattern. WhatsApp plays ElevenLabs' Ogg/Opus as a voice
 * note; Instagram's Send API takes aac/m4a/wav/mp4 audio only, which ElevenLabs does not produce
 * (wrapping its raw PCM in WAV would be the way), and email has no voice notes.
 */
export function shouldSendVoice(input: VoiceChoiceInput): boolean {
  if (!input.voiceFeatureEnabled || !input.brandVoiceEnabled || input.isFirstOutbound) return false;
  if (input.channel !== "whatsapp") return false;
  if (input.remainingVoiceSeconds < VOICE_NOTE.maxSeconds) return false;
  return input.random() < VOICE_NOTE_SHARE;
}

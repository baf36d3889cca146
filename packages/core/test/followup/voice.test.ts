import { describe, expect, it } from "vitest";
import { estimateSpeechSeconds, fitsVoiceNote, shouldSendVoice, type VoiceChoiceInput } from "../../src/followup/voice.ts";
import { createSeededRandom } from "../../src/random.ts";

const eligible: VoiceChoiceInput = {
  voiceFeatureEnabled: true,
  brandVoiceEnabled: true,
  channel: "whatsapp",
  remainingVoiceSeconds: 600,
  isFirstOutbound: false,
  random: () => 0,
};

describe("estimateSpeechSeconds / fitsVoiceNote", () => {
  it("counts 2.6 words per second", () => {
    expect(estimateSpeechSeconds("one two three four five six seven eight nine ten eleven twelve thirteen")).toBe(5);
    expect(estimateSpeechSeconds("   ")).toBe(0);
  });

  it("fits 37 to 52 words into a 14-20 s note", () => {
    const words = (count: number) => Array.from({ length: count }, () => "word").join(" ");
    expect(fitsVoiceNote(words(36))).toBe(false);
    expect(fitsVoiceNote(words(37))).toBe(true);
    expect(fitsVoiceNote(words(52))).toBe(true);
    expect(fitsVoiceNote(words(53))).toBe(false);
  });
});

describe("shouldSendVoice", () => {
  it("needs the feature, the brand switch, WhatsApp, minutes left and not the first message", () => {
    expect(shouldSendVoice(eligible)).toBe(true);
    // Instagram's Send API does not take the Ogg/Opus audio ElevenLabs makes.
    expect(shouldSendVoice({ ...eligible, channel: "instagram" })).toBe(false);
    expect(shouldSendVoice({ ...eligible, voiceFeatureEnabled: false })).toBe(false);
    expect(shouldSendVoice({ ...eligible, brandVoiceEnabled: false })).toBe(false);
    expect(shouldSendVoice({ ...eligible, channel: "email" })).toBe(false);
    expect(shouldSendVoice({ ...eligible, channel: "sandbox" })).toBe(false);
    expect(shouldSendVoice({ ...eligible, remainingVoiceSeconds: 19 })).toBe(false);
    expect(shouldSendVoice({ ...eligible, isFirstOutbound: true })).toBe(false);
  });

  it("picks voice for about one message in three", () => {
    const random = createSeededRandom(42);
    const picks = Array.from({ length: 3000 }, () => shouldSendVoice({ ...eligible, random })).filter(Boolean).length;
    expect(picks).toBeGreaterThan(900);
    expect(picks).toBeLessThan(1100);
  });
});

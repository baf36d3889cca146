import { describe, expect, it } from "vitest";
import { decideNextAction, type DecisionInput } from "../../src/followup/decide.ts";
import { DEFAULT_FOLLOW_UP_SETTINGS } from "../../src/followup/defaults.ts";

// 14:00 UTC = 10:00 in New York (EDT): outside the default 21:00-08:00 quiet hours.
const NOW = new Date("2026-06-10T14:00:00Z");
const ago = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000);

const stepInput: DecisionInput = {
  kind: "step",
  step: 1,
  lead: {
    status: "contacted",
    originChannel: "instagram",
    reachable: ["instagram", "email"],
    lastInboundAt: ago(70),
    lastOutboundAt: ago(65),
    lastInboundByChannel: { instagram: ago(70) },
    optedOut: false,
    aiPaused: false,
    needsOwner: false,
    timeZone: "America/New_York",
  },
  settings: DEFAULT_FOLLOW_UP_SETTINGS,
  whatsappTemplate: null,
  connected: ["instagram", "email"],
  followUpBlock: null,
  voice: { featureEnabled: false, brandEnabled: false, remainingSeconds: 0 },
  now: NOW,
  random: () => 0,
};
const replyInput: DecisionInput = { ...stepInput, kind: "reply", step: 0, lead: { ...stepInput.lead, lastOutboundAt: ago(80) } };

describe("decideNextAction", () => {
  it("sends a due step on the origin channel", () => {
    expect(decideNextAction(stepInput)).toEqual({ action: "send", channel: "instagram", mode: "free_form", voice: false });
  });

  it("stops for each stop rule", () => {
    expect(decideNextAction({ ...stepInput, lead: { ...stepInput.lead, optedOut: true } })).toEqual({ action: "stop", reason: "opted_out" });
    expect(decideNextAction({ ...stepInput, step: 4 })).toEqual({ action: "stop", reason: "sequence_finished" });
    expect(decideNextAction({ ...stepInput, followUpBlock: "lead limit reached" })).toEqual({ action: "stop", reason: "plan_blocked" });
    expect(decideNextAction({ ...replyInput, lead: { ...replyInput.lead, aiPaused: true } })).toEqual({ action: "stop", reason: "paused" });
  });

  it("answers a lead who waits for the owner but sends them no planned or 'now' step", () => {
    const waiting = { ...stepInput.lead, needsOwner: true };
    expect(decideNextAction({ ...stepInput, lead: waiting })).toEqual({ action: "stop", reason: "waiting_for_owner" });
    expect(decideNextAction({ ...stepInput, kind: "now", lead: waiting })).toEqual({ action: "stop", reason: "waiting_for_owner" });
    expect(decideNextAction({ ...replyInput, lead: { ...replyInput.lead, needsOwner: true } })).toMatchObject({ action: "send", channel: "instagram" });
  });

  it("holds a step that comes due in the lead's quiet hours until they end", () => {
    // 03:00 UTC = 23:00 in New York the evening before: wait for 08:00 EDT = 12:00 UTC.
    const night = new Date("2026-06-10T03:00:00Z");
    const lead = { ...stepInput.lead, lastInboundAt: new Date("2026-06-10T01:00:00Z"), lastOutboundAt: new Date("2026-06-10T01:05:00Z") };
    expect(decideNextAction({ ...stepInput, lead, now: night })).toEqual({
      action: "defer",
      until: new Date("2026-06-10T12:00:00Z"),
      reason: "quiet_hours",
    });
  });

  it("answers a reply at night and sends an owner's 'follow up now' at once", () => {
    const night = new Date("2026-06-10T03:00:00Z");
    const lead = {
      ...replyInput.lead,
      lastInboundAt: new Date("2026-06-10T02:59:00Z"),
      lastOutboundAt: new Date("2026-06-09T18:00:00Z"),
      lastInboundByChannel: { instagram: new Date("2026-06-10T02:59:00Z") },
    };
    expect(decideNextAction({ ...replyInput, lead, now: night })).toMatchObject({ action: "send", channel: "instagram" });
    expect(decideNextAction({ ...stepInput, kind: "now", now: night, lead: { ...stepInput.lead, lastInboundByChannel: { instagram: ago(12 * 60) } } })).toMatchObject({
      action: "send",
    });
  });

  it("escalates to email once the Instagram window closed, and stops when nothing is left", () => {
    const lead = { ...stepInput.lead, lastInboundByChannel: { instagram: ago(25 * 60) } };
    expect(decideNextAction({ ...stepInput, lead })).toEqual({ action: "send", channel: "email", mode: "free_form", voice: false });
    expect(decideNextAction({ ...stepInput, lead, exclude: ["email"] })).toMatchObject({ action: "stop", reason: "no_channel" });
  });

  it("sends a voice note only in free form on WhatsApp", () => {
    const voice = { featureEnabled: true, brandEnabled: true, remainingSeconds: 300 };
    expect(decideNextAction({ ...stepInput, voice })).toMatchObject({ channel: "instagram", voice: false });
    const whatsappOpen = {
      ...stepInput,
      voice,
      connected: ["whatsapp" as const],
      lead: { ...stepInput.lead, originChannel: "whatsapp" as const, reachable: ["whatsapp" as const], lastInboundByChannel: { whatsapp: ago(70) } },
    };
    expect(decideNextAction(whatsappOpen)).toEqual({ action: "send", channel: "whatsapp", mode: "free_form", voice: true });
    const whatsappClosed = {
      ...stepInput,
      voice,
      whatsappTemplate: { name: "nudge", languageCode: "en" },
      connected: ["whatsapp" as const],
      lead: { ...stepInput.lead, originChannel: "whatsapp" as const, reachable: ["whatsapp" as const], lastInboundByChannel: {} },
    };
    expect(decideNextAction(whatsappClosed)).toEqual({ action: "send", channel: "whatsapp", mode: "template", voice: false });
  });
});

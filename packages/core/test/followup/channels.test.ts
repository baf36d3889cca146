import { describe, expect, it } from "vitest";
import { chooseChannel, messagingWindow, type ChannelChoiceInput } from "../../src/followup/channels.ts";

const NOW = new Date("2026-06-10T12:00:00Z");
const ago = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000);
const TEMPLATE = { name: "follow_up_1", languageCode: "en" };

const base: ChannelChoiceInput = {
  kind: "follow_up",
  originChannel: "instagram",
  reachable: ["instagram", "whatsapp", "email"],
  connected: ["instagram", "whatsapp", "email"],
  lastInboundByChannel: { instagram: ago(60), whatsapp: ago(60) },
  step: 1,
  whatsappTemplate: null,
  now: NOW,
};

describe("messagingWindow", () => {
  it("keeps Instagram and WhatsApp open for 24 h after the lead's last message on that channel", () => {
    for (const channel of ["instagram", "whatsapp"] as const) {
      expect(messagingWindow({ channel, lastInboundOnChannelAt: ago(23 * 60 + 59), now: NOW }).open).toBe(true);
      expect(messagingWindow({ channel, lastInboundOnChannelAt: ago(24 * 60), now: NOW }).open).toBe(false);
      expect(messagingWindow({ channel, lastInboundOnChannelAt: ago(24 * 60 + 1), now: NOW }).open).toBe(false);
      expect(messagingWindow({ channel, lastInboundOnChannelAt: null, now: NOW }).open).toBe(false);
    }
    expect(messagingWindow({ channel: "instagram", lastInboundOnChannelAt: ago(60), now: NOW }).closesAt).toEqual(
      new Date("2026-06-11T11:00:00Z"),
    );
  });

  it("never closes email or sandbox", () => {
    expect(messagingWindow({ channel: "email", lastInboundOnChannelAt: null, now: NOW })).toEqual({ open: true, closesAt: null });
    expect(messagingWindow({ channel: "sandbox", lastInboundOnChannelAt: ago(90 * 24 * 60), now: NOW }).open).toBe(true);
  });
});

describe("chooseChannel", () => {
  it("answers a reply on the channel the lead wrote on", () => {
    expect(chooseChannel({ ...base, kind: "reply", step: 0, originChannel: "whatsapp" })).toEqual({ channel: "whatsapp", mode: "free_form" });
  });

  it("sends step 1 on the origin channel while its window is open", () => {
    expect(chooseChannel(base)).toEqual({ channel: "instagram", mode: "free_form" });
  });

  it("moves one channel down the order from step 2 on: Instagram -> WhatsApp -> email", () => {
    expect(chooseChannel({ ...base, step: 2 })).toEqual({ channel: "whatsapp", mode: "free_form" });
    expect(chooseChannel({ ...base, step: 3 })).toEqual({ channel: "whatsapp", mode: "free_form" });
    expect(chooseChannel({ ...base, originChannel: "whatsapp", step: 2 })).toEqual({ channel: "email", mode: "free_form" });
  });

  it("stays on the origin at step 2 when there is nothing further down", () => {
    expect(chooseChannel({ ...base, originChannel: "email", step: 2 })).toEqual({ channel: "email", mode: "free_form" });
    expect(chooseChannel({ ...base, reachable: ["instagram"], step: 2 })).toEqual({ channel: "instagram", mode: "free_form" });
  });

  it("only uses channels the lead is reachable on and the owner connected", () => {
    expect(chooseChannel({ ...base, step: 2, connected: ["instagram", "email"] })).toEqual({ channel: "email", mode: "free_form" });
    expect(chooseChannel({ ...base, step: 2, reachable: ["instagram", "email"] })).toEqual({ channel: "email", mode: "free_form" });
  });

  it("escalates Instagram outside its window instead of using a message tag", () => {
    const closedInstagram = { ...base, lastInboundByChannel: { instagram: ago(24 * 60 + 1) } };
    const choice = chooseChannel({ ...closedInstagram, reachable: ["instagram", "email"] });
    // The AI never sends with HUMAN_AGENT (or any tag): the only modes are free form and template.
    expect(choice).toEqual({ channel: "email", mode: "free_form" });
    expect(JSON.stringify(choice)).not.toMatch(/tag|human_agent/i);
    expect(chooseChannel({ ...closedInstagram, reachable: ["instagram"] })).toEqual({
      stop: "no_channel",
      detail: "No channel may carry the message: instagram (24 h window closed).",
    });
  });

  it("uses the approved WhatsApp template outside the window, else escalates to email", () => {
    const closed = { ...base, originChannel: "whatsapp" as const, lastInboundByChannel: { whatsapp: ago(25 * 60) } };
    expect(chooseChannel({ ...closed, whatsappTemplate: TEMPLATE })).toEqual({ channel: "whatsapp", mode: "template" });
    expect(chooseChannel(closed)).toEqual({ channel: "email", mode: "free_form" });
    expect(chooseChannel({ ...closed, reachable: ["whatsapp"] })).toMatchObject({ stop: "no_channel" });
  });

  it("does not count a message on another channel as opening the window", () => {
    const onlyInstagram = { ...base, step: 2, lastInboundByChannel: { instagram: ago(30) } };
    expect(chooseChannel(onlyInstagram)).toEqual({ channel: "email", mode: "free_form" });
  });

  it("re-plans without a channel that answered window_closed", () => {
    expect(chooseChannel({ ...base, exclude: ["instagram"] })).toEqual({ channel: "whatsapp", mode: "free_form" });
    expect(chooseChannel({ ...base, exclude: ["instagram", "whatsapp"] })).toEqual({ channel: "email", mode: "free_form" });
    expect(chooseChannel({ ...base, exclude: ["instagram", "whatsapp", "email"] })).toMatchObject({ stop: "no_channel" });
  });

  it("falls back to channels above the start when nothing below can carry the message", () => {
    const onlyInstagramOpen = { ...base, originChannel: "whatsapp" as const, step: 2, reachable: ["instagram", "whatsapp"] as const };
    expect(chooseChannel({ ...onlyInstagramOpen, lastInboundByChannel: { instagram: ago(10), whatsapp: ago(26 * 60) } })).toEqual({
      channel: "instagram",
      mode: "free_form",
    });
  });

  it("always treats sandbox as connected", () => {
    expect(chooseChannel({ ...base, originChannel: "sandbox", reachable: ["sandbox"], connected: [], step: 3 })).toEqual({
      channel: "sandbox",
      mode: "free_form",
    });
  });
});

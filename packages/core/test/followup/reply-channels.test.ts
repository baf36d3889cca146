import { describe, expect, it } from "vitest";
import { channelMode, chooseChannel } from "../../src/followup/channels.ts";
import { describeReplyChannel, replyChannelOptions, type ReplyChannelInput } from "../../src/followup/reply-channels.ts";

const NOW = new Date("2026-06-10T12:00:00Z");
const hoursAgo = (hours: number) => new Date(NOW.getTime() - hours * 3_600_000);
const DAY = 24;

const mode = (channel: "instagram" | "whatsapp" | "email", sender: "ai" | "owner", lastInbound: Date | null, hasWhatsappTemplate = false) =>
  channelMode({ channel, sender, lastInboundOnChannelAt: lastInbound, hasWhatsappTemplate, now: NOW });

describe("channelMode: who may send what, and when", () => {
  it("lets anyone write freely on Instagram until exactly 24 h after the lead's last message", () => {
    expect(mode("instagram", "ai", hoursAgo(23.99))).toMatchObject({ open: true, mode: "free_form" });
    expect(mode("instagram", "owner", hoursAgo(23.99))).toMatchObject({ open: true, mode: "free_form" });
    expect(mode("instagram", "ai", hoursAgo(24))).toEqual({ open: false, reason: "window_closed" });
  });

  it("gives a person (never the AI) the HUMAN_AGENT tag from 24 h up to exactly 7 days", () => {
    expect(mode("instagram", "owner", hoursAgo(24))).toEqual({ open: true, mode: "human_agent_tag", closesAt: new Date(hoursAgo(24).getTime() + 7 * DAY * 3_600_000) });
    expect(mode("instagram", "owner", hoursAgo(7 * DAY - 0.01))).toMatchObject({ open: true, mode: "human_agent_tag" });
    expect(mode("instagram", "owner", hoursAgo(7 * DAY))).toEqual({ open: false, reason: "window_closed" });
    expect(mode("instagram", "ai", hoursAgo(3 * DAY))).toEqual({ open: false, reason: "window_closed" });
    expect(mode("instagram", "owner", null)).toEqual({ open: false, reason: "never_wrote" });
  });

  it("allows only the approved template on WhatsApp outside 24 h, for the AI and the owner alike", () => {
    expect(mode("whatsapp", "owner", hoursAgo(23))).toMatchObject({ open: true, mode: "free_form" });
    expect(mode("whatsapp", "owner", hoursAgo(24), true)).toEqual({ open: true, mode: "template", closesAt: null });
    expect(mode("whatsapp", "ai", hoursAgo(5 * DAY), true)).toEqual({ open: true, mode: "template", closesAt: null });
    expect(mode("whatsapp", "owner", hoursAgo(24))).toEqual({ open: false, reason: "no_template" });
  });

  it("keeps email open whenever", () => {
    expect(mode("email", "owner", null)).toEqual({ open: true, mode: "free_form", closesAt: null });
  });

  it("never lets the AI's channel choice use the tag window", () => {
    const choice = chooseChannel({
      kind: "follow_up",
      originChannel: "instagram",
      reachable: ["instagram"],
      connected: ["instagram"],
      lastInboundByChannel: { instagram: hoursAgo(2 * DAY) },
      step: 1,
      whatsappTemplate: null,
      now: NOW,
    });
    expect(choice).toEqual({ stop: "no_channel", detail: "No channel may carry the message: instagram (24 h window closed)." });
  });
});

describe("replyChannelOptions: what the owner's reply box offers", () => {
  const base: ReplyChannelInput = {
    sender: "owner",
    reachable: ["instagram", "email"],
    connected: ["instagram", "email"],
    lastInboundByChannel: { instagram: hoursAgo(9 * DAY) },
    hasWhatsappTemplate: false,
    now: NOW,
  };

  it("explains a closed Instagram window and offers email", () => {
    const options = replyChannelOptions(base);
    expect(options).toEqual([
      { channel: "instagram", open: false, reason: "window_closed", lastInboundAt: hoursAgo(9 * DAY) },
      { channel: "email", open: true, mode: "free_form", closesAt: null, lastInboundAt: null },
    ]);
    expect(describeReplyChannel(options[0]!, NOW)).toBe("Instagram: the lead last wrote 9 days ago; Instagram allows replies up to 7 days.");
    expect(describeReplyChannel(options[1]!, NOW)).toBe("Email: open.");
  });

  it("says a channel the owner did not connect is closed, and lists only channels the lead can be reached on", () => {
    const options = replyChannelOptions({ ...base, connected: ["instagram"], lastInboundByChannel: { instagram: hoursAgo(3) } });
    expect(options.map((option) => [option.channel, option.open])).toEqual([
      ["instagram", true],
      ["email", false],
    ]);
    expect(describeReplyChannel(options[0]!, NOW)).toBe("Instagram: the lead last wrote 3 hours ago; open for 21 hours more.");
    expect(describeReplyChannel(options[1]!, NOW)).toBe("Email: not connected. Connect it on the Connections page to reply there.");
  });

  it("tells the owner when the human agent tag carries the reply", () => {
    const [instagram] = replyChannelOptions({ ...base, lastInboundByChannel: { instagram: hoursAgo(2 * DAY) } });
    expect(instagram).toMatchObject({ open: true, mode: "human_agent_tag" });
    expect(describeReplyChannel(instagram!, NOW)).toBe(
      "Instagram: the lead last wrote 2 days ago; you can still reply for 5 days (sent with Instagram's human agent tag, which only a person may use).",
    );
  });

  it("says WhatsApp outside 24 h sends the template, not the owner's text, or is closed without one", () => {
    const whatsapp = { ...base, reachable: ["whatsapp"] as const, connected: ["whatsapp"] as const, lastInboundByChannel: { whatsapp: hoursAgo(30) } };
    const [withTemplate] = replyChannelOptions({ ...whatsapp, hasWhatsappTemplate: true });
    expect(describeReplyChannel(withTemplate!, NOW)).toBe("WhatsApp: the lead last wrote 30 hours ago; outside 24 h only your approved template is sent, not your text.");
    const [without] = replyChannelOptions(whatsapp);
    expect(describeReplyChannel(without!, NOW)).toBe(
      "WhatsApp: the lead last wrote 30 hours ago; outside 24 h WhatsApp only allows an approved template, and none is set in Settings.",
    );
  });
});

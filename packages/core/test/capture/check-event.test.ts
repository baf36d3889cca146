import { describe, expect, it } from "vitest";
import {
  checkInboundEvent,
  MESSAGE_TEXT_LIMIT,
  PROVIDER_ID_LIMIT,
  type UncheckedMessageEvent,
} from "../../src/capture/check-event.ts";
import { parseInstagramDelivery } from "../../src/capture/instagram-delivery.ts";
import { storableJson, storableText } from "../../src/text/storable-text.ts";

const RECEIVED = new Date("2026-05-01T12:00:00.000Z");

const message = (overrides: Partial<UncheckedMessageEvent> = {}): UncheckedMessageEvent => ({
  kind: "message",
  accountId: "17841400000000001",
  providerMessageId: "aWdf.1",
  sender: { externalId: "980000000000001", name: "Ana", email: null, phone: null },
  text: "Hi! How much is the course?",
  attachments: [],
  sentAt: new Date("2026-05-01T11:59:00.000Z"),
  thread: null,
  ...overrides,
});

const accepted = (event: UncheckedMessageEvent) => {
  const checked = checkInboundEvent(event, RECEIVED);
  if (!checked.ok) throw new Error(checked.reason);
  return checked.event;
};
const refusal = (event: UncheckedMessageEvent) => {
  const checked = checkInboundEvent(event, RECEIVED);
  return checked.ok ? null : checked.reason;
};

describe("storableText", () => {
  it("drops NUL and replaces lone surrogates, keeping paired ones (emoji)", () => {
    expect(storableText("a\u0000b")).toBe("ab");
    expect(storableText("x\ud800y\udc00z")).toBe("x\ufffdy\ufffdz");
    expect(storableText("ok 😀 \ud83d")).toBe("ok 😀 \ufffd");
  });
});

describe("storableJson", () => {
  it("cleans every string and key, and cuts nesting past the limit", () => {
    expect(storableJson({ "k\u0000": ["v\ud800", 1, null, true] })).toEqual({ k: ["v\ufffd", 1, null, true] });
    expect(storableJson({ a: { b: { c: 1 } } }, 2)).toEqual({ a: { b: "[nested too deep]" } });
  });

  it("survives nesting JSON.stringify could not", () => {
    const deep = JSON.parse(`${"[".repeat(200_000)}${"]".repeat(200_000)}`) as unknown;
    expect(() => JSON.stringify(storableJson(deep))).not.toThrow();
  });
});

describe("checkInboundEvent", () => {
  it("cleans the text and names of a message instead of refusing it", () => {
    const event = accepted(message({ text: "see you\u0000 at 5 \ud800", sender: { externalId: "x", name: "An\u0000a", email: null, phone: null } }));
    expect(event).toMatchObject({ text: "see you at 5 \ufffd", sender: { name: "Ana" } });
  });

  it("cuts a long text at the limit with a marker, never inside an emoji", () => {
    const long = accepted(message({ text: "a".repeat(MESSAGE_TEXT_LIMIT + 5) }));
    expect(long.kind === "message" && long.text).toBe(`${"a".repeat(MESSAGE_TEXT_LIMIT)}\n[message truncated: 5 more characters not stored]`);
    const emoji = accepted(message({ text: `${"a".repeat(MESSAGE_TEXT_LIMIT - 1)}😀😀` }));
    expect(emoji.kind === "message" && emoji.text.startsWith(`${"a".repeat(MESSAGE_TEXT_LIMIT - 1)}\n[message truncated: 4`)).toBe(true);
  });

  it("refuses an event whose ids are empty, too long, or carry control characters or broken Unicode", () => {
    expect(refusal(message({ providerMessageId: "" }))).toMatch(/^providerMessageId: /);
    expect(refusal(message({ providerMessageId: "m".repeat(PROVIDER_ID_LIMIT + 1) }))).toMatch(/^providerMessageId: must be 1 to 512/);
    expect(refusal(message({ providerMessageId: "m.\u0000.1" }))).toMatch(/^providerMessageId: contains control/);
    expect(refusal(message({ sender: { externalId: "igsid\ud800", name: null, email: null, phone: null } }))).toMatch(/^sender\.externalId/);
    expect(refusal(message({ accountId: "1784\u0007" }))).toMatch(/^accountId/);
    expect(refusal(message({ providerMessageId: "wamid.😀" }))).toBeNull();
  });

  it("refuses a time before 2000 or more than a day after receipt, and an invalid date", () => {
    for (const sentAt of [new Date("1999-12-31T23:59:59Z"), new Date(RECEIVED.getTime() + 24 * 3600_000 + 1), new Date(Number.NaN), new Date(8e15)]) {
      expect(refusal(message({ sentAt }))).toMatch(/^sentAt: /);
    }
    expect(refusal(message({ sentAt: new Date(RECEIVED.getTime() + 23 * 3600_000) }))).toBeNull();
  });

  it("marks a message that asks us to stop, by core's keyword rule, and only then", () => {
    expect(accepted(message({ text: "STOP" }))).toMatchObject({ optOut: true });
    expect(accepted(message({ text: "no me interesa, gracias" }))).toMatchObject({ optOut: true });
    expect(accepted(message({ text: "don't stop messaging me!" }))).toMatchObject({ optOut: false });
  });

  it("names the skipped item in the delivery's rejections without any of its text", () => {
    const body = {
      object: "instagram",
      entry: [
        {
          id: "17841400000000001",
          messaging: [
            { sender: { id: "a" }, recipient: { id: "b" }, timestamp: 1, message: { mid: "m1", text: "secret words" } },
            { sender: { id: "a" }, recipient: { id: "b" }, timestamp: RECEIVED.getTime(), message: { mid: "m2", text: "fine" } },
          ],
        },
        { id: "bad\u0000account", messaging: [] },
      ],
    };
    const parsed = parseInstagramDelivery(body, RECEIVED);
    expect(parsed.groups.map((group) => group.events.length)).toEqual([1]);
    expect(parsed.rejected).toEqual([
      { index: 0, reason: "messaging[0]: sentAt: not between 2000-01-01 and a day after receipt" },
      { index: 1, reason: "account id: contains control characters or broken Unicode" },
    ]);
  });

  it("skips Instagram items with a negative, absurd or year-300000 timestamp and keeps the rest", () => {
    const item = (mid: string, timestamp: number) => ({ sender: { id: "a" }, recipient: { id: "b" }, timestamp, message: { mid, text: "hi" } });
    const body = {
      object: "instagram",
      entry: [{ id: "17841400000000001", messaging: [item("neg", -1), item("huge", 1e20), item("far", Date.UTC(300000, 0)), item("ok", RECEIVED.getTime())] }],
    };
    const parsed = parseInstagramDelivery(body, RECEIVED);
    expect(parsed.groups[0]?.events.map((event) => event.kind === "message" && event.providerMessageId)).toEqual(["ok"]);
    expect(parsed.rejected.map((rejection) => rejection.reason.split(":")[0])).toEqual(["messaging[0].timestamp", "messaging[1].timestamp", "messaging[2].timestamp"]);
  });
});

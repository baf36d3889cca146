import { describe, expect, it } from "vitest";
import type { InboundMessageEvent } from "../../src/capture/inbound-event.ts";
import { parseInstagramDelivery } from "../../src/capture/instagram-delivery.ts";
import { MalformedDeliveryError } from "../../src/capture/malformed-delivery.ts";

// Payloads as Meta documents them for the Instagram API with Instagram Login (messages webhook field).
const BUSINESS = "17841400000000001";
const OTHER_BUSINESS = "17841400000000002";
const LEAD = "980000000000001";
const AT = 1767607200000; // 2026-01-05T10:00:00Z in milliseconds, as Instagram sends it
// When the webhook arrived: the latest message time the parser believes is a day after it.
const RECEIVED = new Date("2026-01-05T10:01:00.000Z");
const parseAt = (body: unknown) => parseInstagramDelivery(body, RECEIVED);

const item = (fields: Record<string, unknown>, business = BUSINESS, lead = LEAD) => ({
  sender: { id: lead },
  recipient: { id: business },
  timestamp: AT,
  ...fields,
});
const entry = (messaging: unknown[], id = BUSINESS) => ({ id, time: AT + 500, messaging });
const delivery = (...entries: unknown[]) => ({ object: "instagram", entry: entries });

function onlyEvent(body: unknown) {
  const parsed = parseAt(body);
  expect(parsed.rejected).toEqual([]);
  expect(parsed.groups).toHaveLength(1);
  expect(parsed.groups[0]?.events).toHaveLength(1);
  return parsed.groups[0]?.events[0];
}

describe("parseInstagramDelivery", () => {
  it("turns a text message into a message from the lead to the business", () => {
    const body = delivery(entry([item({ message: { mid: "aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3", text: "Hi! Is the course still open?" } })]));
    const parsed = parseAt(body);
    expect(parsed.channel).toBe("instagram");
    expect(parsed.groups[0]?.accountId).toBe(BUSINESS);
    expect(parsed.groups[0]?.rawEntries).toEqual([body.entry[0]]);
    expect(parsed.groups[0]?.events).toEqual([
      {
        kind: "message",
        accountId: BUSINESS,
        providerMessageId: "aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3",
        sender: { externalId: LEAD, name: null, email: null, phone: null },
        text: "Hi! Is the course still open?",
        attachments: [],
        sentAt: new Date("2026-01-05T10:00:00.000Z"),
        thread: null,
        optOut: false,
      },
    ]);
  });

  it("keeps attachments with their type and URL, with or without text", () => {
    const event = onlyEvent(
      delivery(
        entry([
          item({
            message: {
              mid: "m-attach",
              attachments: [
                { type: "image", payload: { url: "https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=1" } },
                { type: "audio", payload: { url: "https://cdn.fbsbx.com/v/t59/voice.mp4" } },
              ],
            },
          }),
        ]),
      ),
    ) as InboundMessageEvent;
    expect(event.kind).toBe("message");
    expect(event.text).toBe("");
    expect(event.attachments).toEqual([
      { type: "image", url: "https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=1", providerMediaId: null, mimeType: null, fileName: null },
      { type: "audio", url: "https://cdn.fbsbx.com/v/t59/voice.mp4", providerMediaId: null, mimeType: null, fileName: null },
    ]);
  });

  it("treats a story reply as a message from the lead", () => {
    const event = onlyEvent(
      delivery(
        entry([
          item({
            message: {
              mid: "m-story",
              text: "Love this! How much?",
              reply_to: { story: { url: "https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=9", id: "18000000000000009" } },
            },
          }),
        ]),
      ),
    );
    expect(event).toMatchObject({ kind: "message", providerMessageId: "m-story", text: "Love this! How much?", sender: { externalId: LEAD } });
  });

  it("turns an echo into the business's own message to the lead, never the lead speaking", () => {
    const echo = item({ message: { mid: "m-echo", text: "Thanks for writing!", is_echo: true } }, BUSINESS, BUSINESS);
    echo.recipient = { id: LEAD };
    expect(onlyEvent(delivery(entry([echo])))).toEqual({
      kind: "echo",
      accountId: BUSINESS,
      providerMessageId: "m-echo",
      recipientExternalId: LEAD,
      text: "Thanks for writing!",
      attachments: [],
      sentAt: new Date(AT),
    });
  });

  it("turns a read (messaging_seen) into a read receipt of the lead up to the message read, and reactions into notices", () => {
    const parsed = parseAt(
      delivery(
        entry([
          item({ read: { mid: "m-read" } }),
          item({ reaction: { mid: "m-liked", action: "react", reaction: "love", emoji: "❤️" } }),
          item({ reaction: { mid: "m-liked", action: "unreact" } }),
        ]),
      ),
    );
    expect(parsed.groups[0]?.events).toEqual([
      { kind: "read", accountId: BUSINESS, leadExternalId: LEAD, providerMessageId: "m-read", status: "read", at: new Date(AT) },
      { kind: "notice", accountId: BUSINESS, notice: "reaction", detail: "react ❤️ on m-liked" },
      { kind: "notice", accountId: BUSINESS, notice: "reaction", detail: "unreact on m-liked" },
    ]);
  });

  it("notes deletions, edits, unsupported media and unknown items without making messages of them", () => {
    const parsed = parseAt(
      delivery(
        entry([
          item({ message: { mid: "m-gone", is_deleted: true } }),
          item({ message_edit: { mid: "m-edited", text: "new text", num_edit: 1 } }),
          item({ message: { mid: "m-odd", is_unsupported: true } }),
          item({ postback: { mid: "m-pb", title: "Prices", payload: "PRICES" } }),
        ]),
      ),
    );
    const events = parsed.groups[0]?.events ?? [];
    expect(events.map((event) => event.kind)).toEqual(["notice", "notice", "notice", "notice"]);
    expect(events.every((event) => event.kind === "notice" && event.notice === "unsupported")).toBe(true);
    expect(parsed.rejected).toEqual([]);
  });

  it("ignores fields it does not know", () => {
    const event = onlyEvent({
      object: "instagram",
      unexpected: { nested: true },
      entry: [{ ...entry([item({ message: { mid: "m-1", text: "hey", quick_reply: { payload: "X" }, brand_new: 1 }, extra: "x" })]), more: [1] }],
    });
    expect(event).toMatchObject({ kind: "message", text: "hey" });
  });

  it("rejects a bad entry by its index and keeps the good ones", () => {
    const parsed = parseAt(
      delivery(
        entry([item({ message: { mid: "m-a", text: "first" } })]),
        { time: AT, messaging: [] },
        "not an object",
        entry([item({ message: { mid: "m-b", text: "second" } })]),
      ),
    );
    expect(parsed.rejected.map((rejection) => rejection.index)).toEqual([1, 2]);
    expect(parsed.rejected[0]?.reason).toMatch(/^entry\.id: /);
    expect(parsed.groups).toHaveLength(1);
    expect(parsed.groups[0]?.rawEntries).toHaveLength(2);
    expect(parsed.groups[0]?.events.map((event) => (event.kind === "message" ? event.text : event.kind))).toEqual(["first", "second"]);
  });

  it("rejects a bad messaging item and keeps the rest of its entry", () => {
    const parsed = parseAt(
      delivery(
        entry([
          item({ message: { mid: "m-ok", text: "fine" } }),
          { recipient: { id: BUSINESS }, timestamp: AT, message: { mid: "m-bad", text: "who sent me?" } },
          item({ message: { text: "no id" } }),
          item({ message: { mid: "m-late", text: "bad time" }, timestamp: "yesterday" }),
          "not an item",
        ]),
      ),
    );
    expect(parsed.rejected).toEqual([
      { index: 0, reason: expect.stringMatching(/^messaging\[1\]\.sender: /) },
      { index: 0, reason: expect.stringMatching(/^messaging\[2\]\.message\.mid: /) },
      { index: 0, reason: expect.stringMatching(/^messaging\[3\]\.timestamp: /) },
      { index: 0, reason: expect.stringMatching(/^messaging\[4\]: /) },
    ]);
    expect(parsed.groups[0]?.events).toHaveLength(1);
    expect(parsed.groups[0]?.events[0]).toMatchObject({ providerMessageId: "m-ok" });
  });

  it("handles a 100-entry batch in order", () => {
    const entries = Array.from({ length: 100 }, (_, n) => entry([item({ message: { mid: `m-${n}`, text: `message ${n}` } }, BUSINESS, `lead-${n}`)]));
    const parsed = parseAt(delivery(...entries));
    expect(parsed.rejected).toEqual([]);
    expect(parsed.groups).toHaveLength(1);
    expect(parsed.groups[0]?.rawEntries).toHaveLength(100);
    const ids = parsed.groups[0]?.events.map((event) => (event.kind === "message" ? event.providerMessageId : null));
    expect(ids).toEqual(entries.map((_, n) => `m-${n}`));
  });

  it("rejects a read that names no message or an impossible time, keeping the rest of the entry", () => {
    const parsed = parseAt(
      delivery(entry([item({ read: {} }), item({ read: { mid: "m-late" }, timestamp: AT + 3 * 24 * 60 * 60 * 1000 }), item({ read: { mid: "m-ok" } })])),
    );
    expect(parsed.groups[0]?.events).toEqual([expect.objectContaining({ kind: "read", providerMessageId: "m-ok" })]);
    expect(parsed.rejected.map((rejection) => rejection.reason)).toEqual([
      "messaging[0].read.mid: Invalid input: expected string, received undefined",
      "messaging[1]: at: not between 2000-01-01 and a day after receipt",
    ]);
  });

  it("groups a batch of several businesses, each group holding only its own entries", () => {
    const first = entry([item({ message: { mid: "m-1", text: "to first" } })], BUSINESS);
    const second = entry([item({ message: { mid: "m-2", text: "to second" } }, OTHER_BUSINESS)], OTHER_BUSINESS);
    const third = entry([item({ read: { mid: "m-0" } })], BUSINESS);
    const parsed = parseAt(delivery(first, second, third));
    expect(parsed.groups.map((group) => group.accountId)).toEqual([BUSINESS, OTHER_BUSINESS]);
    expect(parsed.groups[0]?.rawEntries).toEqual([first, third]);
    expect(parsed.groups[1]?.rawEntries).toEqual([second]);
    expect(parsed.groups[0]?.events.every((event) => event.accountId === BUSINESS)).toBe(true);
    expect(parsed.groups[1]?.events).toEqual([expect.objectContaining({ accountId: OTHER_BUSINESS, text: "to second" })]);
  });

  it("notes comment changes on an entry without losing the entry", () => {
    const parsed = parseAt(delivery({ id: BUSINESS, time: AT, changes: [{ field: "comments", value: { id: "c1", text: "nice" } }] }));
    expect(parsed.groups[0]?.events).toEqual([{ kind: "notice", accountId: BUSINESS, notice: "unsupported", detail: "change field comments" }]);
  });

  it.each([
    ["null", null],
    ["an array", []],
    ["another object", { object: "page", entry: [] }],
    ["a WhatsApp delivery", { object: "whatsapp_business_account", entry: [] }],
    ["no entry list", { object: "instagram" }],
    ["an entry that is not a list", { object: "instagram", entry: {} }],
  ])("throws MalformedDeliveryError for %s", (_name, body) => {
    expect(() => parseAt(body)).toThrow(MalformedDeliveryError);
  });
});

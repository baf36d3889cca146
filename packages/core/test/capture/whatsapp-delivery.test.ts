import { describe, expect, it } from "vitest";
import { MalformedDeliveryError } from "../../src/capture/malformed-delivery.ts";
import { parseWhatsAppDelivery } from "../../src/capture/whatsapp-delivery.ts";

// Payloads as Meta documents them for the WhatsApp Cloud API messages webhook.
const WABA = "102290129340398";
const PHONE_ID = "106540352242922";
const OTHER_PHONE_ID = "106540352242999";
const LEAD = "16505551234";
const SECONDS = "1767607200"; // 2026-01-05T10:00:00Z
// When the webhook arrived: the latest message time the parser believes is a day after it.
const RECEIVED = new Date("2026-01-05T10:01:00.000Z");
const parseAt = (body: unknown) => parseWhatsAppDelivery(body, RECEIVED);

const metadata = (phoneNumberId = PHONE_ID) => ({ display_phone_number: "15550783881", phone_number_id: phoneNumberId });
const contact = (waId = LEAD, name = "Ana Souza") => ({ profile: { name }, wa_id: waId });
const message = (fields: Record<string, unknown>, from = LEAD) => ({ from, id: `wamid.${String(fields.type)}-1`, timestamp: SECONDS, ...fields });
const change = (value: Record<string, unknown>, phoneNumberId = PHONE_ID) => ({
  field: "messages",
  value: { messaging_product: "whatsapp", metadata: metadata(phoneNumberId), ...value },
});
const entry = (changes: unknown[], id = WABA) => ({ id, changes });
const delivery = (...entries: unknown[]) => ({ object: "whatsapp_business_account", entry: entries });
const messagesChange = (messages: unknown[], contacts: unknown[] = [contact()], phoneNumberId = PHONE_ID) =>
  change({ contacts, messages }, phoneNumberId);

function events(body: unknown) {
  const parsed = parseAt(body);
  expect(parsed.rejected).toEqual([]);
  return parsed.groups.flatMap((group) => group.events);
}

describe("parseWhatsAppDelivery", () => {
  it("turns a text message into a message with the sender's number and profile name", () => {
    const body = delivery(entry([messagesChange([message({ type: "text", text: { body: "Hola! Do you ship to Lisbon?" } })])]));
    const parsed = parseAt(body);
    expect(parsed.channel).toBe("whatsapp");
    expect(parsed.rejected).toEqual([]);
    expect(parsed.groups).toHaveLength(1);
    expect(parsed.groups[0]?.accountId).toBe(PHONE_ID);
    expect(parsed.groups[0]?.rawEntries).toEqual([body.entry[0]]);
    expect(parsed.groups[0]?.events).toEqual([
      {
        kind: "message",
        accountId: PHONE_ID,
        providerMessageId: "wamid.text-1",
        sender: { externalId: LEAD, name: "Ana Souza", email: null, phone: "+16505551234" },
        text: "Hola! Do you ship to Lisbon?",
        attachments: [],
        sentAt: new Date("2026-01-05T10:00:00.000Z"),
        thread: null,
        optOut: false,
      },
    ]);
  });

  it("takes each sender's name from the matching contact only", () => {
    const [first, second] = events(
      delivery(
        entry([
          messagesChange(
            [message({ type: "text", text: { body: "a" } }, "447700900001"), message({ type: "text", text: { body: "b" } }, "447700900002")],
            [contact("447700900002", "Ben"), { wa_id: "447700900001" }],
          ),
        ]),
      ),
    );
    expect(first).toMatchObject({ sender: { externalId: "447700900001", name: null, phone: "+447700900001" } });
    expect(second).toMatchObject({ sender: { externalId: "447700900002", name: "Ben", phone: "+447700900002" } });
  });

  it("keeps media as attachments without a URL (WhatsApp sends media ids), captions as text", () => {
    const found = events(
      delivery(
        entry([
          messagesChange([
            message({ type: "audio", audio: { mime_type: "audio/ogg; codecs=opus", sha256: "abc=", id: "1013859600285441", voice: true } }),
            message({ type: "image", image: { caption: "this one", mime_type: "image/jpeg", sha256: "def=", id: "1479537139650973" } }),
            message({ type: "document", document: { filename: "brief.pdf", mime_type: "application/pdf", sha256: "x", id: "2" } }),
            message({ type: "video", video: { mime_type: "video/mp4", sha256: "y", id: "3" } }),
            message({ type: "sticker", sticker: { mime_type: "image/webp", sha256: "z", id: "4", animated: false } }),
          ]),
        ]),
      ),
    );
    expect(found.map((event) => (event.kind === "message" ? [event.text, event.attachments] : event.kind))).toEqual([
      ["", [{ type: "audio", url: null, providerMediaId: "1013859600285441", mimeType: "audio/ogg; codecs=opus", fileName: null }]],
      ["this one", [{ type: "image", url: null, providerMediaId: "1479537139650973", mimeType: "image/jpeg", fileName: null }]],
      ["", [{ type: "document", url: null, providerMediaId: "2", mimeType: "application/pdf", fileName: "brief.pdf" }]],
      ["", [{ type: "video", url: null, providerMediaId: "3", mimeType: "video/mp4", fileName: null }]],
      ["", [{ type: "sticker", url: null, providerMediaId: "4", mimeType: "image/webp", fileName: null }]],
    ]);
  });

  it("reads the text of quick-reply buttons and interactive replies", () => {
    const found = events(
      delivery(
        entry([
          messagesChange([
            message({ type: "button", button: { payload: "YES", text: "Yes, book me" }, context: { from: "15550783881", id: "wamid.prev" } }),
            message({ type: "interactive", interactive: { type: "button_reply", button_reply: { id: "b1", title: "Tomorrow" } } }),
            message({ type: "interactive", interactive: { type: "list_reply", list_reply: { id: "l1", title: "Growth plan", description: "500 leads" } } }),
          ]),
        ]),
      ),
    );
    expect(found.map((event) => (event.kind === "message" ? event.text : event.kind))).toEqual(["Yes, book me", "Tomorrow", "Growth plan"]);
  });

  it("turns reactions and unsupported types into notices", () => {
    const found = events(
      delivery(
        entry([
          messagesChange([
            message({ type: "reaction", reaction: { message_id: "wamid.ours", emoji: "👍" } }),
            message({ type: "reaction", reaction: { message_id: "wamid.ours" } }),
            message({ type: "unsupported", errors: [{ code: 131051, title: "Message type unknown" }] }),
            message({ type: "location", location: { latitude: 38.7, longitude: -9.1 } }),
          ]),
        ]),
      ),
    );
    expect(found).toEqual([
      { kind: "notice", accountId: PHONE_ID, notice: "reaction", detail: "react 👍 on wamid.ours" },
      { kind: "notice", accountId: PHONE_ID, notice: "reaction", detail: "unreact on wamid.ours" },
      { kind: "notice", accountId: PHONE_ID, notice: "unsupported", detail: "message wamid.unsupported-1 of type unsupported" },
      { kind: "notice", accountId: PHONE_ID, notice: "unsupported", detail: "message wamid.location-1 of type location" },
    ]);
  });

  it("turns status updates into delivery reports on our message, never leads", () => {
    const statuses = ["sent", "delivered", "read"].map((status) => ({
      id: "wamid.ours",
      status,
      timestamp: SECONDS,
      recipient_id: LEAD,
      conversation: { id: "c1", origin: { type: "service" } },
      pricing: { billable: true, pricing_model: "PMP", category: "service" },
    }));
    const at = new Date("2026-01-05T10:00:00.000Z");
    expect(events(delivery(entry([change({ statuses })])))).toEqual(
      ["sent", "delivered", "read"].map((status) => ({ kind: "status", accountId: PHONE_ID, providerMessageId: "wamid.ours", status, at, failure: null })),
    );
  });

  it("says why a failed status failed in our words, keeping WhatsApp's code and never its text", () => {
    const failed = (code: number | null) => ({
      id: `wamid.failed-${code}`,
      status: "failed",
      timestamp: SECONDS,
      recipient_id: LEAD,
      errors: code === null ? [] : [{ code, title: "Re-engagement message", message: "Re-engagement message", error_data: { details: "Message failed to send because more than 24 hours have passed since the customer last replied to this number." } }],
    });
    const found = events(delivery(entry([change({ statuses: [failed(131047), failed(131026), failed(999999), failed(null)] })])));
    expect(found.map((event) => (event.kind === "status" ? event.failure : undefined))).toEqual([
      { code: "131047", reason: expect.stringContaining("outside the 24-hour window") },
      { code: "131026", reason: expect.stringContaining("not a WhatsApp number") },
      { code: "999999", reason: "WhatsApp could not deliver it (error 999999)" },
      { code: null, reason: "WhatsApp did not say why" },
    ]);
    expect(JSON.stringify(found)).not.toContain("more than 24 hours have passed");
  });

  it("notes statuses it does not track and rejects a status without its time, keeping its neighbours", () => {
    const good = { id: "wamid.good", status: "delivered", timestamp: SECONDS, recipient_id: LEAD };
    const parsed = parseAt(
      delivery(entry([change({ statuses: [{ id: "wamid.gone", status: "deleted", timestamp: SECONDS }, { id: "wamid.when", status: "read" }, good] })])),
    );
    expect(parsed.groups[0]?.events).toEqual([
      { kind: "notice", accountId: PHONE_ID, notice: "status", detail: "deleted wamid.gone" },
      expect.objectContaining({ kind: "status", providerMessageId: "wamid.good", status: "delivered" }),
    ]);
    expect(parsed.rejected).toEqual([{ index: 0, reason: "changes[0].value.statuses[1].timestamp: Invalid input" }]);
  });

  it("ignores fields it does not know", () => {
    const found = events({
      object: "whatsapp_business_account",
      extra: true,
      entry: [
        {
          id: WABA,
          time: 1,
          changes: [
            {
              field: "messages",
              brand_new: {},
              value: {
                messaging_product: "whatsapp",
                metadata: { ...metadata(), extra: 1 },
                contacts: [{ ...contact(), identity_key_hash: "h" }],
                messages: [{ ...message({ type: "text", text: { body: "hi", extra: 1 } }), referral: { source_type: "ad" } }],
              },
            },
          ],
        },
      ],
    });
    expect(found).toEqual([expect.objectContaining({ kind: "message", text: "hi" })]);
  });

  it("rejects bad entries, changes and messages by entry index and keeps the good ones", () => {
    const parsed = parseAt(
      delivery(
        entry([messagesChange([message({ type: "text", text: { body: "keep me" } })])]),
        { changes: [] },
        entry([
          { field: "messages", value: { messages: [] } },
          { field: "account_update", value: { event: "VERIFIED_ACCOUNT" } },
          messagesChange([
            message({ type: "text" }),
            { id: "wamid.no-from", timestamp: SECONDS, type: "text", text: { body: "?" } },
            message({ type: "text", text: { body: "also kept" }, timestamp: "soon" }),
            message({ type: "image", image: { caption: "no id" } }),
            message({ type: "text", text: { body: "kept too" } }),
          ]),
        ]),
      ),
    );
    expect(parsed.rejected).toEqual([
      { index: 1, reason: expect.stringMatching(/^entry\.id: /) },
      { index: 2, reason: expect.stringMatching(/^changes\[0\]\.value\.metadata: /) },
      { index: 2, reason: 'changes[1].field: "account_update" is not a messages change' },
      { index: 2, reason: "changes[2].value.messages[0].text: required for type text" },
      { index: 2, reason: expect.stringMatching(/^changes\[2\]\.value\.messages\[1\]\.from: /) },
      { index: 2, reason: expect.stringMatching(/^changes\[2\]\.value\.messages\[2\]\.timestamp: /) },
      { index: 2, reason: expect.stringMatching(/^changes\[2\]\.value\.messages\[3\]\.image\.id: /) },
    ]);
    expect(parsed.groups.flatMap((group) => group.events).map((event) => (event.kind === "message" ? event.text : event.kind))).toEqual([
      "keep me",
      "kept too",
    ]);
  });

  it("handles a 100-entry batch", () => {
    const entries = Array.from({ length: 100 }, (_, n) =>
      entry([messagesChange([{ ...message({ type: "text", text: { body: `m${n}` } }, `1650555${String(n).padStart(4, "0")}`), id: `wamid.${n}` }], [])]),
    );
    const parsed = parseAt(delivery(...entries));
    expect(parsed.rejected).toEqual([]);
    expect(parsed.groups).toHaveLength(1);
    expect(parsed.groups[0]?.rawEntries).toHaveLength(100);
    expect(parsed.groups[0]?.events.map((event) => (event.kind === "message" ? event.providerMessageId : null))).toEqual(
      entries.map((_, n) => `wamid.${n}`),
    );
  });

  it("groups by phone number, splitting an entry whose changes belong to different numbers", () => {
    const mine = messagesChange([message({ type: "text", text: { body: "to mine" } })]);
    const theirs = messagesChange([message({ type: "text", text: { body: "to theirs" } })], [contact()], OTHER_PHONE_ID);
    const laterMine = change({ statuses: [{ id: "wamid.x", status: "read", timestamp: SECONDS, recipient_id: LEAD }] });
    const parsed = parseAt(delivery(entry([mine, theirs]), entry([laterMine], "other-waba")));
    expect(parsed.groups.map((group) => group.accountId)).toEqual([PHONE_ID, OTHER_PHONE_ID]);
    expect(parsed.groups[0]?.rawEntries).toEqual([entry([mine]), entry([laterMine], "other-waba")]);
    expect(parsed.groups[1]?.rawEntries).toEqual([entry([theirs])]);
    expect(parsed.groups[1]?.events).toEqual([expect.objectContaining({ accountId: OTHER_PHONE_ID, text: "to theirs" })]);
    expect(JSON.stringify(parsed.groups[0]?.rawEntries)).not.toContain("to theirs");
  });

  it.each([
    ["null", null],
    ["a string", "{}"],
    ["an Instagram delivery", { object: "instagram", entry: [] }],
    ["no entry list", { object: "whatsapp_business_account" }],
  ])("throws MalformedDeliveryError for %s", (_name, body) => {
    expect(() => parseAt(body)).toThrow(MalformedDeliveryError);
  });
});

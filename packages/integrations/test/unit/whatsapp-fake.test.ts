import { parseWhatsAppDelivery, verifyMetaSignature } from "@audnix/core";
import { describe, expect, it } from "vitest";
import { signedMetaRequest } from "../../src/meta/fake-signature.ts";
import { whatsappFake } from "../../src/whatsapp/fake-webhooks.ts";
import { WHATSAPP_STATUS_CHANGE_SAMPLE, WHATSAPP_STATUS_SAMPLES } from "../fixtures/meta-delivery-reports.ts";
import { shapeDifferences } from "../support/documented-shape.ts";

const APP_SECRET = "whatsapp-app-secret";
const NUMBER = { phoneNumberId: "106540352242922", displayPhoneNumber: "15550783881" };
const OTHER_NUMBER = { phoneNumberId: "106540352242999", displayPhoneNumber: "15550783999" };
const ANA = { waId: "16505551234", name: "Ana Souza" };
const RECEIVED = new Date("2026-01-06T00:00:00.000Z");

function receive(payload: unknown) {
  const request = signedMetaRequest(payload, APP_SECRET);
  expect(verifyMetaSignature(new TextEncoder().encode(request.body), request.headers["x-hub-signature-256"], APP_SECRET)).toBe(true);
  return parseWhatsAppDelivery(JSON.parse(request.body), RECEIVED);
}

describe("WhatsApp fake webhooks", () => {
  it("produce text, voice, image, reaction and status notifications, parsed into the expected events", () => {
    const wa = whatsappFake({ seed: "round-trip", startAt: new Date("2026-01-05T10:00:00.000Z") });
    const text = wa.text(NUMBER, ANA, "Hola! Do you ship to Lisbon?");
    const changes = [
      text,
      wa.audio(NUMBER, ANA),
      wa.image(NUMBER, ANA, "this one"),
      wa.reaction(NUMBER, ANA, "wamid.ours", "👍"),
      ...(["sent", "delivered", "read"] as const).map((status) => wa.status(NUMBER, "wamid.ours", ANA.waId, status)),
    ];
    const parsed = receive(wa.delivery([wa.entry(changes)]));

    expect(parsed.rejected).toEqual([]);
    expect(parsed.groups.map((group) => group.accountId)).toEqual([NUMBER.phoneNumberId]);
    expect(parsed.groups[0]?.events).toEqual([
      {
        kind: "message",
        accountId: NUMBER.phoneNumberId,
        providerMessageId: text.value.messages?.[0]?.id,
        sender: { externalId: ANA.waId, name: "Ana Souza", email: null, phone: "+16505551234" },
        text: "Hola! Do you ship to Lisbon?",
        attachments: [],
        sentAt: new Date("2026-01-05T10:00:01.000Z"),
        thread: null,
        optOut: false,
      },
      expect.objectContaining({
        kind: "message",
        text: "",
        attachments: [{ type: "audio", url: null, providerMediaId: "1000000000000002", mimeType: "audio/ogg; codecs=opus", fileName: null }],
      }),
      expect.objectContaining({
        kind: "message",
        text: "this one",
        attachments: [{ type: "image", url: null, providerMediaId: "1000000000000003", mimeType: "image/jpeg", fileName: null }],
      }),
      { kind: "notice", accountId: NUMBER.phoneNumberId, notice: "reaction", detail: "react 👍 on wamid.ours" },
      ...(["sent", "delivered", "read"] as const).map((status) => expect.objectContaining({ kind: "status", providerMessageId: "wamid.ours", status, failure: null })),
    ]);
  });

  it("build status notifications in the shape of Meta's documented samples, a failed one with its errors", () => {
    for (const status of ["sent", "delivered", "read", "failed"] as const) {
      const change = whatsappFake().status(NUMBER, "wamid.ours", ANA.waId, status);
      expect(shapeDifferences(change, { ...WHATSAPP_STATUS_CHANGE_SAMPLE, value: { ...WHATSAPP_STATUS_CHANGE_SAMPLE.value, statuses: [WHATSAPP_STATUS_SAMPLES[status]] } })).toEqual([]);
    }
    const failed = receive(whatsappFake().delivery([whatsappFake().entry([whatsappFake().status(NUMBER, "wamid.ours", ANA.waId, "failed")])]));
    expect(failed.groups[0]?.events).toEqual([
      expect.objectContaining({ kind: "status", status: "failed", failure: { code: "131026", reason: expect.stringContaining("not a WhatsApp number") } }),
    ]);
  });

  it("parse Meta's documented status samples the way they parse the fake's", () => {
    const sample = { object: "whatsapp_business_account", entry: [{ id: "102290129340398", changes: [WHATSAPP_STATUS_CHANGE_SAMPLE] }] };
    expect(receive(sample).groups[0]?.events).toEqual([
      { kind: "status", accountId: "106540352242922", providerMessageId: WHATSAPP_STATUS_SAMPLES.read.id, status: "read", at: new Date(1750263800 * 1000), failure: null },
    ]);
  });

  it("mark voice notes as documented (audio/ogg opus, voice: true)", () => {
    const audio = whatsappFake().audio(NUMBER, ANA).value.messages?.[0];
    expect(audio).toMatchObject({ type: "audio", audio: { mime_type: "audio/ogg; codecs=opus", voice: true } });
    expect(audio?.timestamp).toMatch(/^\d{10}$/);
  });

  it("are deterministic for a seed and distinct across seeds", () => {
    const build = (seed: string) => whatsappFake({ seed }).batch({ numbers: [NUMBER], entries: 3 });
    expect(build("a")).toEqual(build("a"));
    expect(JSON.stringify(build("a"))).not.toBe(JSON.stringify(build("b")));
  });

  it("build batches over several numbers that group back per number", () => {
    const parsed = receive(whatsappFake({ seed: "batch" }).batch({ numbers: [NUMBER, OTHER_NUMBER], entries: 100 }));
    expect(parsed.rejected).toEqual([]);
    expect(parsed.groups.map((group) => [group.accountId, group.rawEntries.length, group.events.length])).toEqual([
      [NUMBER.phoneNumberId, 50, 50],
      [OTHER_NUMBER.phoneNumberId, 50, 50],
    ]);
  });
});

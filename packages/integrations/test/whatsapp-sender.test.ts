import type { OutboundMessage } from "@audnix/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startFakeWhatsappCloud, type FakeWhatsappCloud } from "../src/whatsapp/fake-whatsapp-cloud.ts";
import { createWhatsappSender } from "../src/whatsapp/whatsapp-sender.ts";
import { recordingFetch } from "./recording-fetch.ts";

const NUMBER = { id: "109876543210001", displayPhoneNumber: "+1 555-010-0009", verifiedName: "Sunny Yoga", accessToken: "EAAGwhatsappTokenForSenderTests" };
const LEAD = "15550001111";

const text: OutboundMessage = {
  idempotencyKey: "lead-1:step-1",
  channel: "whatsapp",
  recipient: { externalId: LEAD, name: "Maya" },
  text: "Hi Maya, we have a class tonight at 7. Want a spot?",
};

let fake: FakeWhatsappCloud;
let bodies: unknown[];

beforeEach(async () => {
  fake = await startFakeWhatsappCloud({ phoneNumbers: [NUMBER], seed: "sender" });
  bodies = [];
});
afterEach(async () => {
  await fake.close();
});

function sender(accessToken = NUMBER.accessToken) {
  return createWhatsappSender({ baseUrl: fake.url, phoneNumberId: NUMBER.id, accessToken, fetch: recordingFetch(bodies), timeoutMs: 5_000 });
}

describe("createWhatsappSender", () => {
  it("sends free text inside the window and returns the wamid", async () => {
    const outcome = await sender().send(text);

    expect(fake.sentMessages).toHaveLength(1);
    expect(outcome).toEqual({ status: "sent", providerMessageId: fake.sentMessages[0]?.messageId });
    expect(fake.sentMessages[0]).toMatchObject({ phoneNumberId: NUMBER.id, to: LEAD, type: "text", accessToken: NUMBER.accessToken });
    expect(bodies).toEqual([
      { messaging_product: "whatsapp", recipient_type: "individual", to: LEAD, type: "text", text: { body: text.text, preview_url: false } },
    ]);
  });

  it("sends an approved template with its body parameters, even with the window closed", async () => {
    fake.closeWindowFor(LEAD);
    const outcome = await sender().send({ ...text, template: { name: "follow_up_check_in", languageCode: "en_US", bodyParameters: ["Maya", "Sunny Yoga"] } });

    expect(outcome.status).toBe("sent");
    expect(bodies[0]).toEqual({
      messaging_product: "whatsapp",
      recipient_type: "individual",
      to: LEAD,
      type: "template",
      template: {
        name: "follow_up_check_in",
        language: { code: "en_US" },
        components: [{ type: "body", parameters: [{ type: "text", text: "Maya" }, { type: "text", text: "Sunny Yoga" }] }],
      },
    });
  });

  it("sends an Ogg/Opus voice note as audio with voice:true, and only the audio", async () => {
    const outcome = await sender().send({ ...text, voice: { url: "https://cdn.example.com/voice/abc.ogg", contentType: "audio/ogg" } });

    expect(outcome.status).toBe("sent");
    expect(fake.sentMessages[0]?.type).toBe("audio");
    expect(bodies[0]).toEqual({
      messaging_product: "whatsapp",
      recipient_type: "individual",
      to: LEAD,
      type: "audio",
      audio: { link: "https://cdn.example.com/voice/abc.ogg", voice: true },
    });
  });

  it("sends MP3 audio as a plain audio message (voice notes must be Opus)", async () => {
    await sender().send({ ...text, voice: { url: "https://cdn.example.com/voice/abc.mp3", contentType: "audio/mpeg" } });
    expect(bodies[0]).toMatchObject({ type: "audio", audio: { link: "https://cdn.example.com/voice/abc.mp3" } });
    expect((bodies[0] as { audio: object }).audio).not.toHaveProperty("voice");
  });

  it("reports a closed customer-service window (131047)", async () => {
    fake.closeWindowFor(LEAD);
    expect(await sender().send(text)).toMatchObject({ status: "window_closed" });
    expect(fake.sentMessages).toHaveLength(0);
  });

  it("reports a revoked token as token_invalid without repeating the token", async () => {
    fake.revokeToken(NUMBER.accessToken);
    const outcome = await sender().send(text);
    expect(outcome.status).toBe("token_invalid");
    expect(JSON.stringify(outcome)).not.toContain(NUMBER.accessToken);
  });

  it("retries a rate limit (code 130429 on HTTP 429)", async () => {
    fake.failNextSend({ status: 429, body: { error: { message: "(#130429) Rate limit hit", type: "OAuthException", code: 130429, fbtrace_id: "A1" } } });
    expect(await sender().send(text)).toMatchObject({ status: "retry", reason: expect.stringContaining("rate limit") });
    expect(await sender().send(text)).toMatchObject({ status: "sent" });
  });

  it("retries a 500", async () => {
    fake.failNextSend({ status: 500, body: { error: { message: "An unknown error has occurred.", type: "OAuthException", code: 1, fbtrace_id: "A2" } } });
    expect(await sender().send(text)).toMatchObject({ status: "retry" });
  });

  it("gives up on an undeliverable recipient (131026)", async () => {
    fake.failNextSend({ status: 400, body: { error: { message: "(#131026) Message undeliverable", type: "OAuthException", code: 131026, fbtrace_id: "A3" } } });
    const outcome = await sender().send(text);
    expect(outcome).toMatchObject({ status: "permanent" });
    expect(JSON.stringify(outcome)).not.toContain(NUMBER.accessToken);
  });

  it("calls a send WhatsApp took but answered too late unconfirmed, so it is never sent again", async () => {
    fake.answerSendsAfter(2_000);
    const slow = createWhatsappSender({ baseUrl: fake.url, phoneNumberId: NUMBER.id, accessToken: NUMBER.accessToken, timeoutMs: 200 });
    expect(await slow.send(text)).toMatchObject({ status: "unconfirmed" });
    expect(fake.sentMessages).toHaveLength(1);
  });

  it("retries when the API cannot be reached", async () => {
    await fake.close();
    expect(await sender().send(text)).toEqual({ status: "retry", reason: "WhatsApp could not be reached" });
    fake = await startFakeWhatsappCloud({ phoneNumbers: [NUMBER] });
  });
});

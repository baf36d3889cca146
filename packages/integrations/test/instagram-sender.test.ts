import type { OutboundMessage } from "@audnix/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { INSTAGRAM_WINDOW_CLOSED_FAILURE, startFakeInstagram, type FakeInstagram } from "../src/instagram/fake-instagram.ts";
import { INSTAGRAM_HUMAN_AGENT_SAMPLE_REQUEST } from "../src/instagram/instagram-human-agent.fixture.ts";
import { createInstagramSender } from "../src/instagram/instagram-sender.ts";
import { recordingFetch } from "./recording-fetch.ts";

const NOW = new Date("2026-03-02T10:00:00.000Z");
const LEAD = "1789000000000042";

const text: OutboundMessage = {
  idempotencyKey: "lead-7:step-2",
  channel: "instagram",
  recipient: { externalId: LEAD, name: "Maya" },
  text: "Hi Maya! Still keen on that evening class?",
};

let fake: FakeInstagram;
let token: string;
let bodies: unknown[];

beforeEach(async () => {
  fake = await startFakeInstagram({ now: () => NOW, seed: "sender" });
  token = fake.issueLongLivedToken(fake.users[0]!.userId);
  bodies = [];
});
afterEach(async () => {
  await fake.close();
});

function sender(accessToken = token) {
  return createInstagramSender({ baseUrl: fake.url, accessToken, fetch: recordingFetch(bodies), timeoutMs: 5_000, now: () => NOW });
}

describe("createInstagramSender", () => {
  it("sends the text as a DM and returns Instagram's message id", async () => {
    const outcome = await sender().send(text);

    expect(fake.sentMessages).toEqual([{ recipientId: LEAD, message: { text: text.text }, tag: null, messageId: expect.any(String), accessToken: token }]);
    expect(outcome).toEqual({ status: "sent", providerMessageId: fake.sentMessages[0]?.messageId });
    expect(bodies).toEqual([{ recipient: { id: LEAD }, message: { text: text.text } }]);
  });

  it("tags a person's reply HUMAN_AGENT exactly as Meta documents it, and the fake records the tag", async () => {
    const outcome = await sender().send({ ...text, messageTag: "HUMAN_AGENT" });

    expect(outcome.status).toBe("sent");
    const { recipient: _recipient, message: _message, ...tagFields } = INSTAGRAM_HUMAN_AGENT_SAMPLE_REQUEST;
    expect(bodies).toEqual([{ recipient: { id: LEAD }, ...tagFields, message: { text: text.text } }]);
    expect(Object.keys(bodies[0] as object).sort()).toEqual(Object.keys(INSTAGRAM_HUMAN_AGENT_SAMPLE_REQUEST).sort());
    expect(fake.sentMessages.map((sent) => sent.tag)).toEqual(["HUMAN_AGENT"]);
  });

  it("has a fake that takes Meta's documented HUMAN_AGENT request and refuses a tag without messaging_type MESSAGE_TAG", async () => {
    const post = (body: unknown) =>
      fetch(`${fake.url}/v22.0/me/messages`, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: JSON.stringify(body) });
    expect((await post(INSTAGRAM_HUMAN_AGENT_SAMPLE_REQUEST)).status).toBe(200);
    const { messaging_type: _type, ...untyped } = INSTAGRAM_HUMAN_AGENT_SAMPLE_REQUEST;
    expect((await post(untyped)).status).toBe(400);
    expect(fake.sentMessages).toEqual([{ recipientId: "<IGSID>", message: { text: "Hello World" }, tag: "HUMAN_AGENT", messageId: expect.any(String), accessToken: token }]);
  });

  it("never tags a message it was not asked to (the AI's: no HUMAN_AGENT, no messaging_type override)", async () => {
    await sender().send(text);
    await sender().send({ ...text, voice: { url: "https://cdn.example.com/v/1.mp3", contentType: "audio/mpeg" } });
    for (const body of bodies) {
      expect(JSON.stringify(body)).not.toMatch(/tag|HUMAN_AGENT|MESSAGE_TAG/i);
    }
  });

  it("sends a voice note as an audio attachment, without the text", async () => {
    const outcome = await sender().send({ ...text, voice: { url: "https://cdn.example.com/v/1.mp3", contentType: "audio/mpeg" } });

    expect(outcome.status).toBe("sent");
    expect(fake.sentMessages[0]?.message).toEqual({ attachment: { type: "audio", payload: { url: "https://cdn.example.com/v/1.mp3" } } });
    expect(JSON.stringify(bodies[0])).not.toContain(text.text);
  });

  it("reports the closed 24 h window", async () => {
    fake.failNextSend(INSTAGRAM_WINDOW_CLOSED_FAILURE);
    expect(await sender().send(text)).toEqual({ status: "window_closed", reason: "Instagram's 24-hour messaging window is closed (code 10/2534022)" });
    expect(fake.sentMessages).toHaveLength(0);
  });

  it("reports a revoked token as token_invalid, never repeating it", async () => {
    fake.revokeToken(token);
    const outcome = await sender().send(text);
    expect(outcome.status).toBe("token_invalid");
    expect(JSON.stringify(outcome)).not.toContain(token);
  });

  it("retries a 429 and passes on Retry-After", async () => {
    fake.failNextSend({
      status: 429,
      headers: { "Retry-After": "120" },
      body: { error: { message: "(#4) Application request limit reached", type: "OAuthException", code: 4, fbtrace_id: "A1" } },
    });
    expect(await sender().send(text)).toEqual({ status: "retry", reason: "Instagram rate limit reached (code 4)", retryAfterSeconds: 120 });
  });

  it("retries a 500", async () => {
    fake.failNextSend({ status: 500, body: { error: { message: "An unexpected error has occurred.", type: "OAuthException", code: 2, fbtrace_id: "A2" } } });
    expect(await sender().send(text)).toMatchObject({ status: "retry" });
  });

  it("gives up on a recipient who is unavailable (551) or any other refusal", async () => {
    fake.failNextSend({ status: 400, body: { error: { message: "(#551) This person isn't available right now.", type: "OAuthException", code: 551, fbtrace_id: "A3" } } });
    fake.failNextSend({ status: 400, body: { error: { message: "(#100) Invalid parameter", type: "OAuthException", code: 100, fbtrace_id: "A4" } } });
    const unavailable = await sender().send(text);
    const invalid = await sender().send(text);
    expect(unavailable).toMatchObject({ status: "permanent", reason: expect.stringContaining("not available") });
    expect(invalid).toMatchObject({ status: "permanent" });
    expect(JSON.stringify([unavailable, invalid])).not.toContain(token);
  });

  it("calls a send Instagram took but answered too late unconfirmed, so it is never sent again", async () => {
    fake.answerSendsAfter(2_000);
    const slow = createInstagramSender({ baseUrl: fake.url, accessToken: token, timeoutMs: 200, now: () => NOW });
    expect(await slow.send(text)).toEqual({ status: "unconfirmed", reason: "Instagram did not answer in time; the message may have been delivered" });
    expect(fake.sentMessages).toHaveLength(1);
  });

  it("retries when Instagram cannot be reached", async () => {
    await fake.close();
    expect(await sender().send(text)).toEqual({ status: "retry", reason: "Instagram could not be reached" });
    fake = await startFakeInstagram();
  });
});

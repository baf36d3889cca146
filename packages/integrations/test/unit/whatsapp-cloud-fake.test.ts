import { parseWhatsAppDelivery, verifyMetaSignature } from "@audnix/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listenFake, sendJson } from "../../src/fake-http.ts";
import { startFakeWhatsappCloud, type FakeWhatsappCloud } from "../../src/whatsapp/fake-whatsapp-cloud.ts";
import { verifyWhatsappPhoneNumber } from "../../src/whatsapp/whatsapp-phone-number.ts";

const NUMBER = { id: "109876543210", displayPhoneNumber: "+1 555-0100", verifiedName: "Acme Studio", accessToken: "EAAG-acme-secret-token" };
const OTHER = { id: "109876543299", displayPhoneNumber: "+44 20 7946 0000", verifiedName: "Other Ltd", accessToken: "EAAG-other-secret-token" };

let fake: FakeWhatsappCloud;

beforeAll(async () => {
  fake = await startFakeWhatsappCloud({ phoneNumbers: [NUMBER, OTHER] });
});

afterAll(async () => {
  await fake?.close();
});

function send(body: Record<string, unknown>, token = NUMBER.accessToken, phoneNumberId = NUMBER.id) {
  return fetch(`${fake.url}/v22.0/${phoneNumberId}/messages`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: JSON.stringify({ messaging_product: "whatsapp", ...body }),
  });
}

describe("verifyWhatsappPhoneNumber against the fake Cloud API", () => {
  it("returns the verified name and display number for a matching id and token", async () => {
    const check = await verifyWhatsappPhoneNumber({ baseUrl: fake.url, phoneNumberId: NUMBER.id, accessToken: NUMBER.accessToken });
    expect(check).toEqual({ ok: true, displayPhoneNumber: "+1 555-0100", verifiedName: "Acme Studio" });
  });

  it("says an unknown token is invalid, without repeating it", async () => {
    const check = await verifyWhatsappPhoneNumber({ baseUrl: fake.url, phoneNumberId: NUMBER.id, accessToken: "EAAG-made-up-token" });
    expect(check.ok).toBe(false);
    const reason = check.ok ? "" : check.reason;
    expect(reason).toMatch(/invalid or expired/);
    expect(reason).toMatch(/reconnect/);
    expect(reason).not.toContain("EAAG");
  });

  it("says the phone number id is wrong when the token belongs to another number", async () => {
    const check = await verifyWhatsappPhoneNumber({ baseUrl: fake.url, phoneNumberId: NUMBER.id, accessToken: OTHER.accessToken });
    expect(check).toMatchObject({ ok: false, reason: expect.stringMatching(/phone number id/) });
  });

  it("says the service is unreachable when nothing listens", async () => {
    const stopped = await startFakeWhatsappCloud();
    await stopped.close();
    const check = await verifyWhatsappPhoneNumber({ baseUrl: stopped.url, phoneNumberId: NUMBER.id, accessToken: NUMBER.accessToken });
    expect(check).toMatchObject({ ok: false, reason: expect.stringMatching(/Could not reach/) });
  });
});

describe("the fake Cloud API's messages endpoint", () => {
  it("sends a text and records it with a wamid", async () => {
    const response = await send({ to: "15550001111", type: "text", text: { body: "Hi Maya" } });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { messages: { id: string }[]; contacts: { wa_id: string }[] };
    expect(body.contacts[0]?.wa_id).toBe("15550001111");
    const recorded = fake.sentMessages.at(-1);
    expect(recorded).toMatchObject({ phoneNumberId: NUMBER.id, to: "15550001111", type: "text", accessToken: NUMBER.accessToken });
    expect(recorded?.messageId).toBe(body.messages[0]?.id);
    expect(recorded?.messageId).toMatch(/^wamid\./);
    expect(recorded?.payload).toMatchObject({ text: { body: "Hi Maya" } });
  });

  it("answers 131047 to free-form messages outside the window but still takes templates", async () => {
    fake.closeWindowFor("15550002222");
    const before = fake.sentMessages.length;
    const refused = await send({ to: "15550002222", type: "text", text: { body: "Still there?" } });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ error: { code: 131047, type: "OAuthException", fbtrace_id: expect.any(String) } });
    const template = await send({ to: "15550002222", type: "template", template: { name: "follow_up", language: { code: "en_US" }, components: [] } });
    expect(template.status).toBe(200);
    expect(fake.sentMessages.slice(before).map((message) => message.type)).toEqual(["template"]);
    fake.openWindowFor("15550002222");
  });

  it("sends voice notes as audio with the voice flag kept", async () => {
    const response = await send({ to: "15550003333", type: "audio", audio: { link: "https://cdn.example.com/v.ogg", voice: true } });
    expect(response.status).toBe(200);
    expect(fake.sentMessages.at(-1)?.payload).toMatchObject({ type: "audio", audio: { link: "https://cdn.example.com/v.ogg", voice: true } });
  });

  it("refuses a body without its type's content", async () => {
    const response = await send({ to: "15550003333", type: "text" });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 100 } });
  });

  it("plays scripted failures, then sends again", async () => {
    fake.failNextSend({ status: 429, body: { error: { code: 130429, message: "Rate limit hit", type: "OAuthException" } } }, 2);
    const statuses = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await send({ to: "15550004444", type: "text", text: { body: `try ${i}` } })).status);
    expect(statuses).toEqual([429, 429, 200]);
    expect(fake.sentMessages.filter((message) => message.to === "15550004444")).toHaveLength(1);
  });

  it("rejects a revoked token with error 190", async () => {
    const own = await startFakeWhatsappCloud();
    try {
      const [number] = own.phoneNumbers;
      if (!number) throw new Error("the fake starts with a default number");
      own.revokeToken(number.accessToken);
      const response = await fetch(`${own.url}/v22.0/${number.id}/messages`, {
        method: "POST",
        headers: { Authorization: `Bearer ${number.accessToken}`, "Content-Type": "application/json" },
        body: JSON.stringify({ messaging_product: "whatsapp", to: "1555", type: "text", text: { body: "hi" } }),
      });
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ error: { code: 190, type: "OAuthException" } });
      expect(own.sentMessages).toHaveLength(0);
    } finally {
      await own.close();
    }
  });

  it("holds a send after recording it until released", async () => {
    const held = fake.holdSends();
    let answered = false;
    const pending = send({ to: "15550005555", type: "text", text: { body: "held" } }).then((response) => {
      answered = true;
      return response.status;
    });
    await held.received;
    expect(fake.sentMessages.at(-1)?.to).toBe("15550005555");
    expect(answered).toBe(false);
    held.release();
    expect(await pending).toBe(200);
  });
});

describe("the fake Cloud API reporting statuses to the app's webhook", () => {
  const APP_SECRET = "whatsapp-status-app-secret";

  /** A stand-in for the app's webhook route: checks the signature, keeps each body, answers 200. */
  async function appWebhook() {
    const bodies: unknown[] = [];
    const server = await listenFake(undefined, async (request, response) => {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const raw = Buffer.concat(chunks);
      if (!verifyMetaSignature(raw, String(request.headers["x-hub-signature-256"]), APP_SECRET)) return sendJson(response, 401, {});
      bodies.push(JSON.parse(raw.toString("utf8")));
      sendJson(response, 200, { ok: true });
    });
    return { url: `${server.url}/api/webhook/whatsapp`, bodies, close: () => server.close() };
  }

  it("posts a signed status of a message it sent, in the shape the product parses", async () => {
    const app = await appWebhook();
    const own = await startFakeWhatsappCloud({ phoneNumbers: [NUMBER], statusWebhook: { url: app.url, appSecret: APP_SECRET } });
    try {
      const response = await fetch(`${own.url}/v22.0/${NUMBER.id}/messages`, {
        method: "POST",
        headers: { Authorization: `Bearer ${NUMBER.accessToken}`, "Content-Type": "application/json" },
        body: JSON.stringify({ messaging_product: "whatsapp", to: "15550001111", type: "text", text: { body: "Hi!" } }),
      });
      const messageId = ((await response.json()) as { messages: { id: string }[] }).messages[0]?.id ?? "";
      expect(await own.reportStatus(messageId, "read")).toBe(200);
      const parsed = parseWhatsAppDelivery(app.bodies[0], new Date());
      expect(parsed.groups[0]?.events).toEqual([
        expect.objectContaining({ kind: "status", accountId: NUMBER.id, providerMessageId: messageId, status: "read" }),
      ]);
      await expect(own.reportStatus("wamid.never-sent", "read")).rejects.toThrow("never sent");
    } finally {
      await own.close();
      await app.close();
    }
  });

  it("follows each send with the configured statuses, in order", async () => {
    const app = await appWebhook();
    const own = await startFakeWhatsappCloud({
      phoneNumbers: [NUMBER],
      statusWebhook: { url: app.url, appSecret: APP_SECRET, afterSend: { statuses: ["sent", "delivered", "read"], delayMs: 0 } },
    });
    try {
      await fetch(`${own.url}/v22.0/${NUMBER.id}/messages`, {
        method: "POST",
        headers: { Authorization: `Bearer ${NUMBER.accessToken}`, "Content-Type": "application/json" },
        body: JSON.stringify({ messaging_product: "whatsapp", to: "15550002222", type: "text", text: { body: "Hello" } }),
      });
      await expect.poll(() => app.bodies.length).toBe(3);
      const reported = app.bodies.flatMap((body) => parseWhatsAppDelivery(body, new Date()).groups.flatMap((group) => group.events));
      expect(reported.map((event) => (event.kind === "status" ? event.status : event.kind))).toEqual(["sent", "delivered", "read"]);
    } finally {
      await own.close();
      await app.close();
    }
  });
});

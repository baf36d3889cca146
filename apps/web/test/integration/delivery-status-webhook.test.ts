import { randomBytes } from "node:crypto";
import { createLogger, parseInstagramDelivery, parseWhatsAppDelivery } from "@audnix/core";
import { captureDelivery, listenForLiveEvents, type LiveEvent } from "@audnix/db";
import { createTestDatabase, type TestDatabase } from "@audnix/db/testing";
import { instagramFake, signMetaBody, whatsappFake } from "@audnix/integrations";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { handleMetaDelivery } from "../../app/webhooks/meta-webhook.server.ts";
import { captureRowCounts } from "./capture-rows.ts";

// Vendor delivery reports through the real webhook route (signature, parse, capture) on a real
// Postgres: WhatsApp statuses and Instagram reads move the status of the messages we sent.

const SECRET = `meta-secret-${randomBytes(16).toString("hex")}`;
const IG_ACCOUNT = "17841400000000001";
const WA_NUMBER = { phoneNumberId: "106540352242922", displayPhoneNumber: "15550783881" };
const OTHER_WA_NUMBER = { phoneNumberId: "106540352242999", displayPhoneNumber: "15550783999" };
const LEAD_WA = "16505551234";

let t: TestDatabase;
let owner: string;
let otherOwner: string;
const wa = whatsappFake({ seed: "delivery-it" });
const ig = instagramFake({ seed: "delivery-it" });

beforeAll(async () => {
  t = await createTestDatabase();
  [owner, otherOwner] = await t.db.asSystem(async (tx) => {
    const [user, other] = await Promise.all([
      tx.user.create({ data: { email: "owner@shop.example", plan: "starter" } }),
      tx.user.create({ data: { email: "other@shop.example", plan: "starter" } }),
    ]);
    await tx.connection.createMany({
      data: [
        { userId: user.id, channel: "instagram", externalAccountId: IG_ACCOUNT, status: "connected" },
        { userId: user.id, channel: "whatsapp", externalAccountId: WA_NUMBER.phoneNumberId, status: "connected" },
        { userId: other.id, channel: "whatsapp", externalAccountId: OTHER_WA_NUMBER.phoneNumberId, status: "connected" },
      ],
    });
    return [user.id, other.id];
  });
});

afterAll(async () => {
  await t?.destroy();
});

/** Posts `payload` to the channel's webhook, signed the way Meta signs it, and returns the answer's status. */
async function deliver(channel: "instagram" | "whatsapp", payload: unknown): Promise<number> {
  const body = JSON.stringify(payload);
  const request = new Request(`http://localhost/api/webhook/${channel}`, {
    method: "POST",
    body,
    headers: { "Content-Type": "application/json", "X-Hub-Signature-256": signMetaBody(body, SECRET) },
  });
  const response = await handleMetaDelivery(request, {
    channel,
    secret: { envName: "META_APP_SECRET", value: SECRET },
    verifyToken: { envName: "META_VERIFY_TOKEN", value: "unused" },
    parse: channel === "instagram" ? parseInstagramDelivery : parseWhatsAppDelivery,
    capture: (input) => captureDelivery(t.db, input),
    logger: createLogger({ level: "error", sink: () => {} }),
    now: () => new Date(),
  });
  return response.status;
}

const statuses = (...changes: ReturnType<typeof wa.status>[]) => wa.delivery([wa.entry(changes)]);

/** A lead of `userId` with outbound messages we sent (status "sent"), one per provider id, a minute apart. */
async function leadWithSends(userId: string, channel: "instagram" | "whatsapp", externalId: string, providerIds: string[]) {
  return t.db.asUser(userId, async (tx) => {
    const lead = await tx.lead.create({ data: { userId, channel, externalId } });
    for (const [index, providerMessageId] of providerIds.entries()) {
      await tx.message.create({
        data: {
          userId,
          leadId: lead.id,
          channel,
          direction: "outbound",
          author: "ai",
          providerMessageId,
          body: `Follow-up ${index + 1}`,
          deliveryStatus: "sent",
          sentAt: new Date(Date.UTC(2026, 0, 5, 9, index)),
        },
      });
    }
    return lead.id;
  });
}

const messagesOf = (userId: string, leadId: string) =>
  t.db.asUser(userId, (tx) =>
    tx.message.findMany({
      where: { leadId },
      orderBy: { sentAt: "asc" },
      select: { providerMessageId: true, deliveryStatus: true, deliveryStatusAt: true, failureReason: true, failureCode: true },
    }),
  );

describe("WhatsApp statuses through the webhook", () => {
  it("moves a sent message to delivered, then read, with the time WhatsApp gives, and tells the lead page", async () => {
    const leadId = await leadWithSends(owner, "whatsapp", "lead-progress", ["wamid.progress"]);
    const notified: LiveEvent[] = [];
    let listening = () => {};
    const ready = new Promise<void>((resolve) => (listening = resolve));
    const listener = listenForLiveEvents(t.appUrl, (event) => notified.push(event), { onListening: () => listening() });
    await ready;
    try {
      const delivered = wa.status(WA_NUMBER, "wamid.progress", LEAD_WA, "delivered");
      expect(await deliver("whatsapp", statuses(delivered))).toBe(200);
      expect(await messagesOf(owner, leadId)).toEqual([expect.objectContaining({ deliveryStatus: "delivered" })]);

      const read = wa.status(WA_NUMBER, "wamid.progress", LEAD_WA, "read");
      expect(await deliver("whatsapp", statuses(read))).toBe(200);
      const readAt = new Date(Number(read.value.statuses?.[0]?.timestamp) * 1000);
      expect(await messagesOf(owner, leadId)).toEqual([
        { providerMessageId: "wamid.progress", deliveryStatus: "read", deliveryStatusAt: readAt, failureReason: null, failureCode: null },
      ]);
      await expect.poll(() => notified).toContainEqual({ userId: owner, type: "lead.updated", leadId });
    } finally {
      await listener.close();
    }
  });

  it("keeps read when a delayed delivered arrives after it, in the same batch or later", async () => {
    const leadId = await leadWithSends(owner, "whatsapp", "lead-out-of-order", ["wamid.ooo-1", "wamid.ooo-2"]);
    const delivered1 = wa.status(WA_NUMBER, "wamid.ooo-1", LEAD_WA, "delivered");
    const read1 = wa.status(WA_NUMBER, "wamid.ooo-1", LEAD_WA, "read");
    const delivered2 = wa.status(WA_NUMBER, "wamid.ooo-2", LEAD_WA, "delivered");
    const read2 = wa.status(WA_NUMBER, "wamid.ooo-2", LEAD_WA, "read");
    expect(await deliver("whatsapp", statuses(read1))).toBe(200);
    expect(await deliver("whatsapp", statuses(delivered1))).toBe(200);
    expect(await deliver("whatsapp", statuses(read2, delivered2))).toBe(200);
    expect((await messagesOf(owner, leadId)).map((m) => m.deliveryStatus)).toEqual(["read", "read"]);
  });

  it("marks a refused message failed, in our words, with WhatsApp's code", async () => {
    const leadId = await leadWithSends(owner, "whatsapp", "lead-window", ["wamid.window"]);
    const failed = wa.status(WA_NUMBER, "wamid.window", LEAD_WA, "failed", {
      code: 131047,
      title: "Re-engagement message",
      message: "Re-engagement message",
      error_data: { details: "Message failed to send because more than 24 hours have passed since the customer last replied to this number." },
    });
    expect(await deliver("whatsapp", statuses(failed))).toBe(200);
    const [message] = await messagesOf(owner, leadId);
    expect(message).toMatchObject({ deliveryStatus: "failed", failureCode: "131047", failureReason: expect.stringContaining("outside the 24-hour window") });
    expect(message?.failureReason).not.toContain("24 hours have passed");
  });

  it("ignores a status for a message we never sent: 200, nothing written", async () => {
    const before = await captureRowCounts(t.db);
    expect(await deliver("whatsapp", statuses(wa.status(WA_NUMBER, "wamid.not-ours", LEAD_WA, "read")))).toBe(200);
    const after = await captureRowCounts(t.db);
    expect([after.leads, after.messages]).toEqual([before.leads, before.messages]);
  });

  it("never touches another owner's message, even with its wamid", async () => {
    const leadId = await leadWithSends(otherOwner, "whatsapp", "other-lead", ["wamid.theirs"]);
    expect(await deliver("whatsapp", statuses(wa.status(WA_NUMBER, "wamid.theirs", LEAD_WA, "read")))).toBe(200);
    expect((await messagesOf(otherOwner, leadId)).map((m) => m.deliveryStatus)).toEqual(["sent"]);
  });

  it("applies the good statuses and stores the lead's message beside a malformed status", async () => {
    const leadId = await leadWithSends(owner, "whatsapp", "lead-poison", ["wamid.poison-neighbour"]);
    const inbound = wa.text(WA_NUMBER, { waId: "16505550001", name: "Bea" }, "Is it still available?");
    const good = wa.status(WA_NUMBER, "wamid.poison-neighbour", LEAD_WA, "delivered");
    const broken = wa.status(WA_NUMBER, "wamid.poison-neighbour", LEAD_WA, "read");
    const noTime = { ...broken, value: { ...broken.value, statuses: [{ id: "wamid.poison-neighbour", status: "read", recipient_id: LEAD_WA }] } };
    const emptyId = { ...broken, value: { ...broken.value, statuses: [{ id: "", status: "read", timestamp: "1767607200", recipient_id: LEAD_WA }] } };
    expect(await deliver("whatsapp", wa.delivery([wa.entry([noTime, inbound, emptyId, good] as ReturnType<typeof wa.status>[])]))).toBe(200);

    expect((await messagesOf(owner, leadId)).map((m) => m.deliveryStatus)).toEqual(["delivered"]);
    const bea = await t.db.asUser(owner, (tx) => tx.lead.findFirst({ where: { externalId: "16505550001" }, include: { messages: true } }));
    expect(bea?.messages.map((m) => m.body)).toEqual(["Is it still available?"]);
  });
});

describe("Instagram reads through the webhook", () => {
  it("marks the message read and every earlier one we sent that lead, not later ones or other leads'", async () => {
    const leadId = await leadWithSends(owner, "instagram", "igsid-reader", ["aWdf.first", "aWdf.second", "aWdf.third"]);
    const otherLeadId = await leadWithSends(owner, "instagram", "igsid-bystander", ["aWdf.bystander"]);
    const read = ig.read({ business: IG_ACCOUNT, lead: "igsid-reader" }, "aWdf.second");
    expect(await deliver("instagram", ig.delivery([ig.entry(IG_ACCOUNT, [read])]))).toBe(200);

    expect((await messagesOf(owner, leadId)).map((m) => [m.providerMessageId, m.deliveryStatus, m.deliveryStatusAt])).toEqual([
      ["aWdf.first", "read", new Date(read.timestamp)],
      ["aWdf.second", "read", new Date(read.timestamp)],
      ["aWdf.third", "sent", null],
    ]);
    expect((await messagesOf(owner, otherLeadId)).map((m) => m.deliveryStatus)).toEqual(["sent"]);
  });

  it("ignores a read that claims another lead's message", async () => {
    const leadId = await leadWithSends(owner, "instagram", "igsid-owner-of-mid", ["aWdf.claimed"]);
    const read = ig.read({ business: IG_ACCOUNT, lead: "igsid-claimer" }, "aWdf.claimed");
    expect(await deliver("instagram", ig.delivery([ig.entry(IG_ACCOUNT, [read])]))).toBe(200);
    expect((await messagesOf(owner, leadId)).map((m) => m.deliveryStatus)).toEqual(["sent"]);
  });
});

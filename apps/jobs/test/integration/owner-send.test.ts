import { randomUUID } from "node:crypto";
import { ownerReplyIdempotencyKey, stepJobKey, FOLLOW_UP_JOBS } from "@audnix/core";
import { recordOwnerSend, retryFailedSend, type RecordOwnerSendInput } from "@audnix/db";
import { useTestDatabase } from "@audnix/db/testing";
import {
  FAKE_WHATSAPP_DEFAULT_NUMBER,
  startFakeInstagram,
  startFakeSmtpServer,
  startFakeWhatsappCloud,
  type FakeInstagram,
  type FakeSmtpServer,
  type FakeWhatsappCloud,
} from "@audnix/integrations";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  connectChannel,
  connectFakeInstagram,
  connectFakeSmtp,
  createEngine,
  createOwner,
  followUpsOf,
  HOUR_MS,
  instagramLeadWrote,
  leadWrote,
  outboundMessages,
  saveBrand,
  type Engine,
} from "./follow-up-fixtures.ts";

// owner:send through the real worker task list against the vendor fakes: the owner's message
// reaches the vendor once, with the platform's rules for a person (HUMAN_AGENT on Instagram,
// the template on WhatsApp, threading on email), and a deliberate retry sends once more.

const INBOX = "hello@glow.example";
const DAY_MS = 24 * HOUR_MS;

const t = useTestDatabase();
let instagram: FakeInstagram;
let whatsapp: FakeWhatsappCloud;
let smtp: FakeSmtpServer;
let engine: Engine;
let owner: string;

beforeAll(async () => {
  instagram = await startFakeInstagram();
  whatsapp = await startFakeWhatsappCloud();
  smtp = await startFakeSmtpServer();
  engine = createEngine(t.db, { instagramGraphBaseUrl: instagram.url, whatsappGraphBaseUrl: whatsapp.url });
  owner = await createOwner(t.db);
  await saveBrand(t.db, owner, { whatsappTemplateName: "follow_up_check_in", brandName: "Glow Studio" });
  await connectFakeInstagram(t.db, owner, instagram);
  await connectChannel(t.db, {
    userId: owner,
    channel: "whatsapp",
    externalAccountId: FAKE_WHATSAPP_DEFAULT_NUMBER.id,
    displayName: FAKE_WHATSAPP_DEFAULT_NUMBER.displayPhoneNumber,
    credentials: { accessToken: FAKE_WHATSAPP_DEFAULT_NUMBER.accessToken },
  });
  await connectFakeSmtp(t.db, owner, smtp, { inbox: INBOX, fromName: "Glow Studio" });
});

afterAll(async () => {
  await instagram?.close();
  await whatsapp?.close();
  await smtp?.close();
});

// Only the owner's job runs in these tests: the AI's reply to the lead's message is the engine's tests' business.
beforeEach(async () => {
  await t.db.pool.query("DELETE FROM graphile_worker._private_jobs");
});

async function dropEngineJobs(): Promise<void> {
  await t.db.pool.query("DELETE FROM graphile_worker._private_jobs");
}

async function instagramLead(senderId: string, ago: number, phone: string | null = null): Promise<string> {
  const leadId = await instagramLeadWrote(t.db, owner, { senderId, senderName: "Sam Lee", text: "Hey, I'd like to book an opening this week.", ago });
  if (phone) await t.db.asUser(owner, (tx) => tx.lead.update({ where: { id: leadId }, data: { phone } }));
  await dropEngineJobs();
  return leadId;
}

const reply = (leadId: string, input: Partial<RecordOwnerSendInput> & Pick<RecordOwnerSendInput, "channel" | "body">) =>
  recordOwnerSend(t.db, {
    userId: owner,
    leadId,
    idempotencyKey: ownerReplyIdempotencyKey(owner, randomUUID()),
    metadata: { mode: "text" },
    now: new Date(),
    ...input,
  });

const toInstagram = (recipient: string) => instagram.sentMessages.filter((sent) => sent.recipientId === recipient);

describe("owner:send", () => {
  it("sends a double-submitted reply on Instagram once, untagged inside 24 h, recorded as the owner's", async () => {
    const leadId = await instagramLead("igsid-owner-fresh", 2 * HOUR_MS);
    const key = ownerReplyIdempotencyKey(owner, randomUUID());
    const [first, second] = await Promise.all([
      reply(leadId, { channel: "instagram", body: "Tuesday at 7 works!", idempotencyKey: key }),
      reply(leadId, { channel: "instagram", body: "Tuesday at 7 works!", idempotencyKey: key }),
    ]);
    expect(first.messageId).toBe(second.messageId);
    await engine.runDueJobs();
    await engine.runDueJobs();

    expect(toInstagram("igsid-owner-fresh")).toEqual([expect.objectContaining({ message: { text: "Tuesday at 7 works!" }, tag: null })]);
    expect(await outboundMessages(t.db, owner, leadId)).toEqual([
      expect.objectContaining({ author: "owner", deliveryStatus: "sent", providerMessageId: toInstagram("igsid-owner-fresh")[0]!.messageId }),
    ]);
  });

  it("tags the owner's Instagram reply HUMAN_AGENT 24 h - 7 d after the lead wrote, and refuses it once 7 days passed", async () => {
    const tagged = await instagramLead("igsid-owner-tag", 3 * DAY_MS);
    const late = await instagramLead("igsid-owner-late", 7 * DAY_MS + HOUR_MS);
    await reply(tagged, { channel: "instagram", body: "Sorry for the slow answer!" });
    // Recorded directly (the API would refuse it): the window may close between Send and the job.
    await reply(late, { channel: "instagram", body: "Still there?" });
    await engine.runDueJobs();

    expect(await outboundMessages(t.db, owner, tagged)).toEqual([expect.objectContaining({ deliveryStatus: "sent" })]);
    expect(toInstagram("igsid-owner-tag")).toEqual([expect.objectContaining({ message: { text: "Sorry for the slow answer!" }, tag: "HUMAN_AGENT" })]);
    expect(toInstagram("igsid-owner-late")).toEqual([]);
    expect(await outboundMessages(t.db, owner, late)).toEqual([
      expect.objectContaining({ deliveryStatus: "failed", failureReason: "the messaging window closed before it went out" }),
    ]);
  });

  it("sends free text on WhatsApp inside 24 h and the approved template outside it", async () => {
    const fresh = await instagramLead("igsid-owner-wa-fresh", HOUR_MS, "+1 555 010 1111");
    await t.db.asUser(owner, (tx) => tx.lead.update({ where: { id: fresh }, data: { channel: "whatsapp", externalId: "15550101111" } }));
    await leadWrote(t.db, owner, { channel: "whatsapp", accountId: FAKE_WHATSAPP_DEFAULT_NUMBER.id, senderId: "15550101111", text: "Hi, is Friday free?", ago: HOUR_MS });
    const stale = await instagramLead("igsid-owner-wa-stale", 2 * DAY_MS, "+1 555 010 2222");
    await dropEngineJobs();
    await reply(fresh, { channel: "whatsapp", body: "Friday is free." });
    await reply(stale, { channel: "whatsapp", body: 'WhatsApp template "follow_up_check_in"', metadata: { mode: "template" } });
    await engine.runDueJobs();

    expect(whatsapp.sentMessages.filter((sent) => sent.to === "15550101111")).toEqual([
      expect.objectContaining({ type: "text", payload: expect.objectContaining({ text: expect.objectContaining({ body: "Friday is free." }) }) }),
    ]);
    expect(whatsapp.sentMessages.filter((sent) => sent.to === "15550102222")).toEqual([
      expect.objectContaining({ type: "template", payload: expect.objectContaining({ template: expect.objectContaining({ name: "follow_up_check_in" }) }) }),
    ]);
  });

  it("threads the owner's email on the lead's last email (In-Reply-To and References)", async () => {
    const leadId = await leadWrote(t.db, owner, { channel: "email", accountId: INBOX, senderId: "priya@example.com", senderName: "Priya Shah", senderEmail: "priya@example.com", text: "Can I bring a friend?" });
    await dropEngineJobs();
    const [inbound] = await t.db.asUser(owner, (tx) => tx.message.findMany({ where: { leadId, direction: "inbound" }, select: { providerMessageId: true } }));
    await reply(leadId, { channel: "email", body: "Of course, bring them along!" });
    await engine.runDueJobs();

    const mails = smtp.messages.filter((mail) => mail.envelope.rcptTo.includes("priya@example.com"));
    expect(mails).toHaveLength(1);
    expect(mails[0]!.parsed.text).toContain("Of course, bring them along!");
    expect(mails[0]!.parsed.inReplyTo).toBe(`<${inbound!.providerMessageId}>`);
    expect(mails[0]!.parsed.references).toContain(`<${inbound!.providerMessageId}>`);
    expect(mails[0]!.parsed.subject).toBe("A message from Glow Studio");
  });

  it("retries a failed send once, deliberately, however often the retry is asked for", async () => {
    const leadId = await instagramLead("igsid-owner-retry", HOUR_MS);
    instagram.failNextSend({ status: 400, body: { error: { message: "User unavailable", type: "OAuthException", code: 551 } } });
    const { messageId } = await reply(leadId, { channel: "instagram", body: "Here is the link." });
    await engine.runDueJobs();
    expect((await outboundMessages(t.db, owner, leadId))[0]).toMatchObject({ deliveryStatus: "failed" });
    expect(toInstagram("igsid-owner-retry")).toEqual([]);

    const [a, b] = await Promise.all([retryFailedSend(t.db, { userId: owner, messageId, now: new Date() }), retryFailedSend(t.db, { userId: owner, messageId, now: new Date() })]);
    expect(a.messageId).toBe(b.messageId);
    await engine.runDueJobs();
    expect(toInstagram("igsid-owner-retry")).toHaveLength(1);
    expect((await outboundMessages(t.db, owner, leadId)).map((row) => [row.id === messageId, row.deliveryStatus, row.retriedAt !== null])).toEqual([
      [true, "failed", true],
      [false, "sent", false],
    ]);
  });

  it("leaves the AI's planned step as it was when the owner keeps the AI going", async () => {
    const leadId = await instagramLead("igsid-owner-keep", HOUR_MS);
    const plannedAt = new Date(Date.now() + DAY_MS);
    await t.db.asSystem(async (tx) => {
      await tx.followUp.create({ data: { userId: owner, leadId, step: 1, channel: "instagram", plannedAt, jobKey: stepJobKey(leadId, 1) } });
      await tx.$executeRaw`SELECT graphile_worker.add_job(${FOLLOW_UP_JOBS.step}, '{}'::json, run_at := ${plannedAt}, job_key := ${stepJobKey(leadId, 1)})`;
    });
    await reply(leadId, { channel: "instagram", body: "Quick note from me." });
    await engine.runDueJobs();

    const planned = (await followUpsOf(t.db, owner, leadId)).filter((row) => row.status === "planned");
    expect(planned.map((row) => [row.step, row.plannedAt.toISOString()])).toEqual([[1, plannedAt.toISOString()]]);
  });
});

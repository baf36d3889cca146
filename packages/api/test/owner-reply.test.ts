import { randomUUID } from "node:crypto";
import { FOLLOW_UP_JOBS, OWNER_SEND_TASK, ownerSendJobKey, retryIdempotencyKey, stepJobKey } from "@audnix/core";
import { createOwnerAndStranger, useTestDatabase } from "@audnix/db/testing";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createCaller, createTrpcContext } from "../src/index.ts";

// leads.replyChannels / reply / retrySend against a real database: what the box offers, that a
// reply is recorded (and queued) once however often it is submitted, the pause setting, retries.

const NOW = new Date("2026-05-01T12:00:00.000Z");
const HOUR_MS = 3_600_000;
const hoursAgo = (hours: number) => new Date(NOW.getTime() - hours * HOUR_MS);

const t = useTestDatabase();
let owner: string;
let stranger: string;

const callerFor = (userId: string) => createCaller(createTrpcContext({ db: t.db, userId, now: () => NOW }));

beforeAll(async () => {
  ({ owner, stranger } = await createOwnerAndStranger(t.db));
  await t.db.asSystem(async (tx) => {
    for (const channel of ["instagram", "whatsapp", "email"] as const) {
      await tx.connection.create({ data: { userId: owner, channel, externalAccountId: `${channel}-account`, status: "connected" } });
    }
  });
});

beforeEach(async () => {
  await t.db.asSystem(async (tx) => {
    await tx.lead.deleteMany();
    await tx.brandSettings.deleteMany();
    await tx.$executeRaw`DELETE FROM graphile_worker._private_jobs`;
  });
});

/** An Instagram lead with an email address who last wrote `lastWroteHoursAgo` on Instagram. */
async function instagramLead(lastWroteHoursAgo: number, extra: { phone?: string } = {}): Promise<string> {
  return t.db.asSystem(async (tx) => {
    const lead = await tx.lead.create({
      data: { userId: owner, channel: "instagram", externalId: `1789${randomUUID().replace(/\D/g, "").slice(0, 12)}`, name: "Maria Lopez", email: "maria@example.com", ...extra, lastMessageAt: hoursAgo(lastWroteHoursAgo) },
    });
    await tx.message.create({
      data: { userId: owner, leadId: lead.id, channel: "instagram", direction: "inbound", author: "lead", body: "Do you have evening classes?", sentAt: hoursAgo(lastWroteHoursAgo), providerMessageId: `mid.${randomUUID()}` },
    });
    return lead.id;
  });
}

const ownerSendJobs = async () => {
  const { rows } = await t.db.pool.query<{ key: string | null; payload: { messageId: string } }>(
    `SELECT j.key, p.payload FROM graphile_worker.jobs j JOIN graphile_worker._private_jobs p ON p.id = j.id
      WHERE j.task_identifier = $1 ORDER BY j.id`,
    [OWNER_SEND_TASK],
  );
  return rows;
};

const outbound = (leadId: string) =>
  t.db.asSystem((tx) =>
    tx.message.findMany({ where: { leadId, direction: "outbound" }, orderBy: { createdAt: "asc" }, select: { id: true, author: true, channel: true, body: true, deliveryStatus: true, idempotencyKey: true, retriedAt: true } }),
  );

describe("leads.replyChannels", () => {
  it("explains a closed Instagram window and offers email", async () => {
    const leadId = await instagramLead(9 * 24);
    const { channels, replyPausesAi } = await callerFor(owner).leads.replyChannels({ leadId });
    expect(channels).toEqual([
      { channel: "instagram", open: false, mode: null, text: "Instagram: the lead last wrote 9 days ago; Instagram allows replies up to 7 days." },
      { channel: "email", open: true, mode: "free_form", text: "Email: open." },
    ]);
    expect(replyPausesAi).toBe(true);
  });

  it("is not found for another owner", async () => {
    const leadId = await instagramLead(1);
    await expect(callerFor(stranger).leads.replyChannels({ leadId })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("leads.reply", () => {
  it("records a double-submitted reply once, as the owner's, with one send job", async () => {
    const leadId = await instagramLead(2);
    const input = { leadId, channel: "instagram" as const, body: "Yes! Tuesdays at 7 pm.", clientMessageId: randomUUID() };
    const [first, second] = await Promise.all([callerFor(owner).leads.reply(input), callerFor(owner).leads.reply(input)]);
    expect(first.messageId).toBe(second.messageId);
    expect([first.repeated, second.repeated].sort()).toEqual([false, true]);
    expect(await outbound(leadId)).toEqual([
      expect.objectContaining({ author: "owner", channel: "instagram", body: "Yes! Tuesdays at 7 pm.", deliveryStatus: "pending", retriedAt: null }),
    ]);
    expect(await ownerSendJobs()).toEqual([{ key: ownerSendJobKey(first.messageId), payload: { userId: owner, messageId: first.messageId } }]);
  });

  it("sends with the human agent tag 24 h - 7 d after the lead wrote, and refuses after 7 days with the reason, recording nothing", async () => {
    const tagged = await instagramLead(3 * 24);
    const reply = await callerFor(owner).leads.reply({ leadId: tagged, channel: "instagram", body: "Sorry for the wait!", clientMessageId: randomUUID() });
    expect(reply.mode).toBe("human_agent_tag");

    const closed = await instagramLead(8 * 24);
    await expect(callerFor(owner).leads.reply({ leadId: closed, channel: "instagram", body: "Hello?", clientMessageId: randomUUID() })).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
      message: "Instagram: the lead last wrote 8 days ago; Instagram allows replies up to 7 days.",
    });
    expect(await outbound(closed)).toEqual([]);
  });

  it("sends the approved template, not the owner's text, on WhatsApp outside 24 h", async () => {
    const leadId = await instagramLead(2, { phone: "+34 600 000 001" });
    await t.db.asSystem((tx) => tx.brandSettings.create({ data: { userId: owner, whatsappTemplateName: "follow_up_check_in" } }));
    const reply = await callerFor(owner).leads.reply({ leadId, channel: "whatsapp", body: "Hi Maria", clientMessageId: randomUUID() });
    expect(reply.mode).toBe("template");
    expect(await outbound(leadId)).toEqual([expect.objectContaining({ channel: "whatsapp", body: 'WhatsApp template "follow_up_check_in"' })]);
  });

  it("pauses the AI for the lead by default, cancelling its planned step, and keeps it going when the brand says so", async () => {
    const leadId = await instagramLead(1);
    await t.db.asSystem(async (tx) => {
      await tx.followUp.create({ data: { userId: owner, leadId, step: 1, channel: "instagram", plannedAt: new Date(NOW.getTime() + HOUR_MS), jobKey: stepJobKey(leadId, 1) } });
      await tx.$executeRaw`SELECT graphile_worker.add_job(${FOLLOW_UP_JOBS.step}, '{}'::json, job_key := ${stepJobKey(leadId, 1)})`;
    });
    const paused = await callerFor(owner).leads.reply({ leadId, channel: "instagram", body: "I'll take it from here.", clientMessageId: randomUUID() });
    expect(paused.aiPaused).toBe(true);
    const lead = await t.db.asSystem((tx) => tx.lead.findUniqueOrThrow({ where: { id: leadId }, select: { aiPausedAt: true, followUps: { select: { status: true } } } }));
    expect(lead.aiPausedAt).toEqual(NOW);
    expect(lead.followUps).toEqual([{ status: "cancelled" }]);

    const other = await instagramLead(1);
    await t.db.asSystem((tx) => tx.brandSettings.create({ data: { userId: owner, ownerReplyPausesAi: false } }));
    const kept = await callerFor(owner).leads.reply({ leadId: other, channel: "instagram", body: "Quick note from me.", clientMessageId: randomUUID() });
    expect(kept.aiPaused).toBe(false);
    expect((await t.db.asSystem((tx) => tx.lead.findUniqueOrThrow({ where: { id: other } }))).aiPausedAt).toBeNull();
  });

  it("refuses an opted-out lead and another owner's lead", async () => {
    const leadId = await instagramLead(1);
    await expect(callerFor(stranger).leads.reply({ leadId, channel: "instagram", body: "Hi", clientMessageId: randomUUID() })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await t.db.asSystem((tx) => tx.lead.update({ where: { id: leadId }, data: { optedOutAt: NOW, status: "opted_out" } }));
    await expect(callerFor(owner).leads.reply({ leadId, channel: "instagram", body: "Hi", clientMessageId: randomUUID() })).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
      message: "This lead opted out: nothing more can be sent to them.",
    });
    expect(await outbound(leadId)).toEqual([]);
  });
});

describe("leads.reply limits and drafts", () => {
  it("spends the ownerSend budget: once it is used up, nothing is recorded or queued", async () => {
    const leadId = await instagramLead(1);
    const limited = createCaller(
      createTrpcContext({
        db: t.db,
        userId: owner,
        now: () => NOW,
        rateLimit: async (tier) => (tier === "ownerSend" ? { allowed: false, retryAfterSeconds: 60 } : { allowed: true }),
      }),
    );
    await expect(limited.leads.reply({ leadId, channel: "instagram", body: "Hi", clientMessageId: randomUUID() })).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS" });
    expect(await outbound(leadId)).toEqual([]);
    expect(await ownerSendJobs()).toEqual([]);
  });

  it("drafts the reply box's text as followUps.preview does, storing nothing", async () => {
    const leadId = await instagramLead(1);
    const draft = await callerFor(owner).leads.draftReply({ leadId });
    expect(draft).toEqual(await callerFor(owner).followUps.preview({ leadId }));
    expect(draft.text).toContain("Hi Maria!");
    expect(await outbound(leadId)).toEqual([]);
  });
});

describe("leads.retrySend", () => {
  it("sends a failed message again once, marking the original, and refuses one that is not failed", async () => {
    const leadId = await instagramLead(1);
    const failed = await t.db.asSystem((tx) =>
      tx.message.create({
        data: { userId: owner, leadId, channel: "instagram", direction: "outbound", author: "ai", body: "Hi Maria!", deliveryStatus: "failed", failureReason: "Instagram refused it", idempotencyKey: `reply:${randomUUID()}` },
      }),
    );
    const first = await callerFor(owner).leads.retrySend({ messageId: failed.id });
    const again = await callerFor(owner).leads.retrySend({ messageId: failed.id });
    expect(again).toEqual({ messageId: first.messageId, repeated: true });
    const rows = await outbound(leadId);
    expect(rows).toEqual([
      expect.objectContaining({ id: failed.id, deliveryStatus: "failed", retriedAt: NOW }),
      expect.objectContaining({ id: first.messageId, author: "ai", body: "Hi Maria!", deliveryStatus: "pending", idempotencyKey: retryIdempotencyKey(failed.id) }),
    ]);
    expect((await ownerSendJobs()).map((job) => job.payload.messageId)).toEqual([first.messageId]);

    await expect(callerFor(owner).leads.retrySend({ messageId: first.messageId })).rejects.toMatchObject({ code: "PRECONDITION_FAILED" });
    await expect(callerFor(stranger).leads.retrySend({ messageId: failed.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

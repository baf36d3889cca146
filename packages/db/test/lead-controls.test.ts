import { nowJobKey, replyJobKey, stepJobKey } from "@audnix/core";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { withClient } from "../src/admin/index.ts";
import { LeadControlError, pauseLeadAi, requestFollowUpNow, resumeLeadAi } from "../src/index.ts";
import { createOwnerAndStranger, useTestDatabase } from "../src/testing/index.ts";

const NOW = new Date("2026-05-01T12:00:00.000Z");

const t = useTestDatabase();
let owner: string;
let stranger: string;
let leadId: string;

const admin = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) =>
  withClient(t.adminUrl, async (client) => (await client.query(sql, params)).rows as T[]);

const jobs = () =>
  admin<{ key: string; task_identifier: string; payload: unknown }>(
    `SELECT j.key, t.identifier AS task_identifier, j.payload FROM graphile_worker._private_jobs j
     JOIN graphile_worker._private_tasks t ON t.id = j.task_id ORDER BY j.key`,
  );

const pausedAt = async () =>
  (await t.db.asSystem((tx) => tx.lead.findUniqueOrThrow({ where: { id: leadId }, select: { aiPausedAt: true } }))).aiPausedAt;

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => "accepted",
    (error: unknown) => (error instanceof LeadControlError ? error.reason : error),
  );

beforeAll(async () => {
  ({ owner, stranger } = await createOwnerAndStranger(t.db));
});

beforeEach(async () => {
  await admin("DELETE FROM graphile_worker._private_jobs; DELETE FROM leads; DELETE FROM audit_log");
  leadId = await t.db.asSystem(async (tx) => {
    const lead = await tx.lead.create({ data: { userId: owner, channel: "sandbox", externalId: "sandbox:maria", name: "Maria Lopez" } });
    for (const step of [1, 2]) {
      const jobKey = stepJobKey(lead.id, step);
      await tx.followUp.create({
        data: { userId: owner, leadId: lead.id, step, channel: "sandbox", plannedAt: new Date(NOW.getTime() + step * 3_600_000), jobKey },
      });
      await tx.$executeRaw`SELECT graphile_worker.add_job('followup:step', '{}'::json, job_key := ${jobKey})`;
    }
    await tx.followUp.create({
      data: { userId: owner, leadId: lead.id, step: 0, channel: "sandbox", plannedAt: NOW, status: "sent" },
    });
    await tx.$executeRaw`SELECT graphile_worker.add_job('followup:reply', '{}'::json, job_key := ${replyJobKey(lead.id)})`;
    return lead.id;
  });
});

describe("pauseLeadAi", () => {
  it("stops everything the AI had queued for the lead, in one go, and records who did it", async () => {
    expect(await pauseLeadAi(t.db, { userId: owner, leadId, now: NOW })).toEqual({ cancelledSteps: 2 });

    expect(await pausedAt()).toEqual(NOW);
    expect(await jobs()).toEqual([]);
    const steps = await t.db.asSystem((tx) =>
      tx.followUp.findMany({ where: { leadId }, orderBy: { step: "asc" }, select: { step: true, status: true, reason: true } }),
    );
    expect(steps).toEqual([
      { step: 0, status: "sent", reason: null },
      { step: 1, status: "cancelled", reason: "paused by owner" },
      { step: 2, status: "cancelled", reason: "paused by owner" },
    ]);
    const audit = await t.db.asUser(owner, (tx) => tx.auditLog.findMany({ select: { actor: true, action: true, target: true } }));
    expect(audit).toEqual([{ actor: "owner", action: "lead.ai_paused", target: leadId }]);
  });

  it("does not let another owner pause the lead", async () => {
    expect(await refusal(pauseLeadAi(t.db, { userId: stranger, leadId, now: NOW }))).toBe("lead_not_found");
    expect(await pausedAt()).toBeNull();
    expect((await jobs()).map((job) => job.key)).toEqual([replyJobKey(leadId), stepJobKey(leadId, 1), stepJobKey(leadId, 2)]);
  });
});

describe("requestFollowUpNow", () => {
  it("marks the planned step and queues one followup:now job; a second press while it is on its way is a no-op", async () => {
    await admin("DELETE FROM graphile_worker._private_jobs");
    expect(await requestFollowUpNow(t.db, { userId: owner, leadId, now: NOW })).toEqual({ outcome: "queued", step: 1 });
    expect(await requestFollowUpNow(t.db, { userId: owner, leadId, now: NOW })).toEqual({ outcome: "already_pending", step: 1 });
    expect(await jobs()).toEqual([{ key: nowJobKey(leadId), task_identifier: "followup:now", payload: { leadId, userId: owner } }]);
    const step1 = await t.db.asSystem((tx) => tx.followUp.findFirstOrThrow({ where: { leadId, step: 1 }, select: { status: true, plannedAt: true, reason: true } }));
    expect(step1).toEqual({ status: "planned", plannedAt: NOW, reason: "follow up now" });
    const audit = await t.db.asUser(owner, (tx) => tx.auditLog.findMany({ where: { action: "lead.follow_up_now" } }));
    expect(audit).toHaveLength(1);
  });

  it("is a no-op for the step the page showed once that step went out, and queues the next one when asked for it", async () => {
    expect(await requestFollowUpNow(t.db, { userId: owner, leadId, now: NOW, expectedStep: 1 })).toEqual({ outcome: "queued", step: 1 });
    // The worker sent step 1; step 2 is still planned.
    await t.db.asSystem((tx) => tx.followUp.updateMany({ where: { leadId, step: 1 }, data: { status: "sent" } }));
    await admin("DELETE FROM graphile_worker._private_jobs WHERE key = $1", [nowJobKey(leadId)]);

    expect(await requestFollowUpNow(t.db, { userId: owner, leadId, now: NOW, expectedStep: 1 })).toEqual({ outcome: "already_sent", step: 1 });
    expect((await jobs()).map((job) => job.key)).toEqual([replyJobKey(leadId), stepJobKey(leadId, 2)]);
    expect(await requestFollowUpNow(t.db, { userId: owner, leadId, now: NOW, expectedStep: 2 })).toEqual({ outcome: "queued", step: 2 });
  });

  it("refuses when the lead opted out, is paused or is blocked by the plan, and for strangers", async () => {
    await admin("DELETE FROM graphile_worker._private_jobs");
    expect(await refusal(requestFollowUpNow(t.db, { userId: stranger, leadId, now: NOW }))).toBe("lead_not_found");

    const setLead = (data: { optedOutAt?: Date | null; aiPausedAt?: Date | null; aiBlockedReason?: "trial_expired" | null }) =>
      t.db.asSystem((tx) => tx.lead.update({ where: { id: leadId }, data }));

    await setLead({ optedOutAt: NOW });
    expect(await refusal(requestFollowUpNow(t.db, { userId: owner, leadId, now: NOW }))).toBe("opted_out");
    await setLead({ optedOutAt: null });
    await setLead({ aiPausedAt: NOW });
    expect(await refusal(requestFollowUpNow(t.db, { userId: owner, leadId, now: NOW }))).toBe("ai_paused");
    await setLead({ aiPausedAt: null });
    await setLead({ aiBlockedReason: "trial_expired" });
    expect(await refusal(requestFollowUpNow(t.db, { userId: owner, leadId, now: NOW }))).toBe("ai_blocked");
    await setLead({ aiBlockedReason: null });

    await t.db.asSystem((tx) => tx.user.update({ where: { id: owner }, data: { plan: "trial", trialExpiresAt: new Date(NOW.getTime() - 1) } }));
    try {
      expect(await refusal(requestFollowUpNow(t.db, { userId: owner, leadId, now: NOW }))).toBe("ai_blocked");
    } finally {
      await t.db.asSystem((tx) => tx.user.update({ where: { id: owner }, data: { plan: "starter", trialExpiresAt: null } }));
    }
    expect(await jobs()).toEqual([]);
  });
});

describe("resumeLeadAi", () => {
  it("lifts the pause and queues nothing unless asked to follow up now", async () => {
    await pauseLeadAi(t.db, { userId: owner, leadId, now: NOW });
    expect(await resumeLeadAi(t.db, { userId: owner, leadId, now: NOW, followUpNow: false })).toEqual({ followUpQueued: false });
    expect(await pausedAt()).toBeNull();
    expect(await jobs()).toEqual([]);
  });

  it("queues the next follow-up at once when the owner ticks the box", async () => {
    await pauseLeadAi(t.db, { userId: owner, leadId, now: NOW });
    expect(await resumeLeadAi(t.db, { userId: owner, leadId, now: NOW, followUpNow: true })).toEqual({ followUpQueued: true });
    expect((await jobs()).map((job) => job.key)).toEqual([nowJobKey(leadId)]);
  });

  it("does not let another owner resume the lead", async () => {
    await pauseLeadAi(t.db, { userId: owner, leadId, now: NOW });
    expect(await refusal(resumeLeadAi(t.db, { userId: stranger, leadId, now: NOW, followUpNow: true }))).toBe("lead_not_found");
    expect(await pausedAt()).toEqual(NOW);
    expect(await jobs()).toEqual([]);
  });
});

import { beforeAll, describe, expect, it } from "vitest";
import { replyJobKey, stepJobKey } from "@audnix/core";
import {
  beginSend,
  completeSend,
  createDb,
  ensureUnsubscribeToken,
  failSend,
  findUnsubscribeLead,
  loadFollowUpContext,
  nextPlannedStep,
  recordWorkerHeartbeat,
  releaseSend,
  releaseStaleWorkers,
  stopFollowUps,
  unsubscribeByToken,
} from "../src/index.ts";
import { createOwnerAndStranger, useTestDatabase } from "../src/testing/index.ts";

const t = useTestDatabase();
let owner: string;
let stranger: string;
let leadId: string;
const at = new Date("2026-11-20T10:00:00Z");

beforeAll(async () => {
  ({ owner, stranger } = await createOwnerAndStranger(t.db));
  const lead = await t.db.asUser(owner, (tx) =>
    tx.lead.create({ data: { userId: owner, externalId: "igsid-1", channel: "instagram", name: "Maya Ortiz", lastMessageAt: at } }),
  );
  leadId = lead.id;
  await t.db.asUser(owner, (tx) =>
    tx.message.create({
      data: { userId: owner, leadId, channel: "instagram", direction: "inbound", author: "lead", providerMessageId: "mid.1", body: "Hi", sentAt: at },
    }),
  );
});

describe("follow-up context", () => {
  it("gives the owner the lead, messages and brand defaults, and a stranger nothing", async () => {
    const context = await loadFollowUpContext(t.db, { userId: owner, leadId });
    expect(context?.lead).toMatchObject({ id: leadId, name: "Maya Ortiz", status: "new" });
    expect(context?.messages.map((message) => message.body)).toEqual(["Hi"]);
    expect(context?.lastInbound.instagram?.body).toBe("Hi");
    expect(context?.brand.followUpStepsMinutes).toEqual([60, 1440, 4320]);

    expect(await loadFollowUpContext(t.db, { userId: stranger, leadId })).toBeNull();
  });
});

describe("exactly-once bookkeeping", () => {
  it("records a send once per idempotency key and reports the state of the first record", async () => {
    const input = { userId: owner, leadId, idempotencyKey: "reply:test-1", channel: "instagram" as const, author: "ai" as const, followUpStep: null, body: "Hi Maya!", now: at };
    const first = await beginSend(t.db, input);
    const again = await beginSend(t.db, input);
    expect(first).toMatchObject({ created: true, delivery: "pending" });
    expect(again).toMatchObject({ created: false, messageId: first.messageId, delivery: "pending" });

    const next = { step: 1, channel: "instagram" as const, plannedAt: new Date(at.getTime() + 3_600_000) };
    await completeSend(t.db, {
      userId: owner,
      leadId,
      messageId: first.messageId,
      providerMessageId: "mid.out.1",
      delivery: { status: "sent" },
      next,
      answeredUpTo: at,
      now: at,
    });
    expect(await beginSend(t.db, input)).toMatchObject({ created: false, delivery: "sent", providerMessageId: "mid.out.1" });
    expect(await nextPlannedStep(t.db, { userId: owner, leadId })).toMatchObject({ step: 1, channel: "instagram", plannedAt: next.plannedAt });
    expect(await nextPlannedStep(t.db, { userId: stranger, leadId })).toBeNull();
  });
});

describe("delivery status", () => {
  it("is a typed column: pending when recorded, unconfirmed with its reason, nothing left in metadata", async () => {
    const begun = await beginSend(t.db, {
      userId: owner,
      leadId,
      idempotencyKey: "reply:typed-1",
      channel: "instagram",
      body: "Hi again",
      author: "ai",
      followUpStep: null,
      metadata: { mode: "text" },
      now: at,
    });
    const row = () =>
      t.db.asUser(owner, (tx) =>
        tx.message.findUniqueOrThrow({ where: { id: begun.messageId }, select: { deliveryStatus: true, failureReason: true, metadata: true } }),
      );
    expect(await row()).toEqual({ deliveryStatus: "pending", failureReason: null, metadata: { mode: "text" } });

    await completeSend(t.db, {
      userId: owner,
      leadId,
      messageId: begun.messageId,
      providerMessageId: null,
      delivery: { status: "unconfirmed", reason: "Instagram did not answer in time; the message may have been delivered" },
      next: null,
      answeredUpTo: at,
      now: at,
    });
    expect(await row()).toEqual({
      deliveryStatus: "unconfirmed",
      failureReason: "Instagram did not answer in time; the message may have been delivered",
      metadata: { mode: "text" },
    });
  });

  it("cannot be set on an inbound message", async () => {
    const admin = createDb({ url: t.adminUrl, maxConnections: 1 });
    try {
      await expect(
        admin.pool.query("UPDATE messages SET delivery_status = 'sent' WHERE direction = 'inbound' AND lead_id = $1", [leadId]),
      ).rejects.toThrow(/messages_delivery_status_outbound_only/);
    } finally {
      await admin.close();
    }
  });
});

describe("the follow-up functions on a connection that bypasses row-level security", () => {
  // Every function filters by the caller's user itself: called with one owner's id and another
  // owner's ids, on a superuser connection (RLS off), it changes nothing of the other owner's.
  it("change nothing of another owner's lead, steps, messages or jobs", async () => {
    const victimLead = await t.db.asUser(stranger, (tx) =>
      tx.lead.create({ data: { userId: stranger, externalId: "igsid-victim", channel: "instagram", status: "new", lastMessageAt: at } }),
    );
    const victimStep = await t.db.asUser(stranger, (tx) =>
      tx.followUp.create({
        data: { userId: stranger, leadId: victimLead.id, step: 1, channel: "instagram", plannedAt: at, jobKey: stepJobKey(victimLead.id, 1) },
      }),
    );
    await t.db.pool.query(
      "SELECT graphile_worker.add_job('followup:step', json_build_object('followUpId', $1::text, 'userId', $2::text), job_key := $3, run_at := $4)",
      [victimStep.id, stranger, stepJobKey(victimLead.id, 1), at],
    );
    await t.db.pool.query("SELECT graphile_worker.add_job('followup:reply', '{}'::json, job_key := $1)", [replyJobKey(victimLead.id)]);
    const victimSend = await beginSend(t.db, {
      userId: stranger,
      leadId: victimLead.id,
      idempotencyKey: `step:${victimStep.id}`,
      channel: "instagram",
      body: "Victim's message",
      author: "ai",
      followUpStep: 1,
      now: at,
    });

    const snapshot = async () => {
      const [leads, steps, messages, jobs] = await Promise.all([
        t.db.asUser(stranger, (tx) => tx.lead.findMany({ where: { id: victimLead.id } })),
        t.db.asUser(stranger, (tx) => tx.followUp.findMany({ where: { leadId: victimLead.id }, orderBy: { createdAt: "asc" } })),
        t.db.asUser(stranger, (tx) => tx.message.findMany({ where: { leadId: victimLead.id }, orderBy: { createdAt: "asc" } })),
        t.db.pool.query("SELECT key, payload, run_at FROM graphile_worker._private_jobs WHERE key LIKE $1 ORDER BY key", [`%${victimLead.id}%`]),
      ]);
      return { leads, steps, messages, jobs: jobs.rows };
    };
    const before = await snapshot();
    expect(before.jobs).toHaveLength(2);

    const admin = createDb({ url: t.adminUrl, maxConnections: 2 });
    try {
      const attacker = owner;
      const continuation = { next: { step: 2, channel: "instagram" as const, plannedAt: at }, endStatus: "lost" as const, answeredUpTo: null, now: at };
      expect(await loadFollowUpContext(admin, { userId: attacker, followUpId: victimStep.id, reclaim: true })).toBeNull();
      expect(await loadFollowUpContext(admin, { userId: attacker, leadId: victimLead.id })).toBeNull();
      await expect(
        beginSend(admin, { userId: attacker, leadId: victimLead.id, idempotencyKey: "reply:attack", channel: "instagram", author: "ai", followUpStep: null, body: "x", now: at }),
      ).rejects.toThrow(/not found/);
      await expect(
        beginSend(admin, { userId: attacker, leadId, idempotencyKey: `step:${victimStep.id}`, channel: "instagram", author: "ai", followUpStep: null, body: "x", now: at }),
      ).rejects.toThrow(/not found/);
      await expect(
        completeSend(admin, {
          userId: attacker,
          leadId: victimLead.id,
          messageId: victimSend.messageId,
          followUpId: victimStep.id,
          providerMessageId: "mid.attack",
          delivery: { status: "sent" },
          ...continuation,
        }),
      ).rejects.toThrow(/not found/);
      await expect(
        failSend(admin, { userId: attacker, leadId: victimLead.id, messageId: victimSend.messageId, followUpId: victimStep.id, reason: "x", ...continuation }),
      ).rejects.toThrow(/not found/);
      await releaseSend(admin, {
        userId: attacker,
        leadId: victimLead.id,
        messageId: victimSend.messageId,
        followUpId: victimStep.id,
        retry: { task: "followup:step", payload: {}, jobKey: stepJobKey(victimLead.id, 1), runAt: new Date(at.getTime() + 60_000) },
        now: at,
      });
      expect(
        await stopFollowUps(admin, {
          userId: attacker,
          leadId: victimLead.id,
          reason: "attack",
          leadStatus: "opted_out",
          currentFollowUpId: victimStep.id,
          currentStatus: "cancelled",
          includeReplyJobs: true,
          now: at,
        }),
      ).toBe(0);
      await admin.pool.query(
        `SELECT app_followup_after_send($1::uuid, $2::uuid, $3::jsonb, 'lost', NULL, $4),
                app_followup_plan_next($1::uuid, $2::uuid, NULL, 'lost', NULL, $4)`,
        [attacker, victimLead.id, JSON.stringify({ step: 2, channel: "instagram", plannedAt: at.toISOString(), jobKey: stepJobKey(victimLead.id, 2), task: "followup:step" }), at],
      );
    } finally {
      await admin.close();
    }

    expect(await snapshot()).toEqual(before);
    const attackerRows = await t.db.asUser(owner, (tx) => tx.message.count({ where: { idempotencyKey: "reply:attack" } }));
    expect(attackerRows).toBe(0);
  });
});

describe("unsubscribe tokens", () => {
  it("keeps one token per lead; only that exact token opts the lead out", async () => {
    const token = await ensureUnsubscribeToken(t.db, { userId: owner, leadId });
    expect(await ensureUnsubscribeToken(t.db, { userId: owner, leadId })).toBe(token);
    expect(token.startsWith(`${leadId}.`)).toBe(true);

    const forged = `${leadId}.${"A".repeat(32)}`;
    expect(await findUnsubscribeLead(t.db, forged)).toBeNull();
    expect(await unsubscribeByToken(t.db, { token: forged, now: at })).toBe(false);
    expect(await unsubscribeByToken(t.db, { token: "garbage", now: at })).toBe(false);

    expect(await unsubscribeByToken(t.db, { token, now: at })).toBe(true);
    const lead = await t.db.asUser(owner, (tx) =>
      tx.lead.findUniqueOrThrow({ where: { id: leadId }, select: { status: true, optedOutAt: true, facts: { select: { key: true } } } }),
    );
    expect(lead).toMatchObject({ status: "opted_out", optedOutAt: at });
    expect(lead.facts.map((fact) => fact.key)).not.toContain("opt_out");
    expect(await nextPlannedStep(t.db, { userId: owner, leadId })).toBeNull();
  });
});

describe("stale worker recovery", () => {
  async function lockedJob(workerId: string, lockedAt: Date): Promise<string> {
    const { rows } = await t.db.pool.query<{ id: string }>("SELECT (graphile_worker.add_job('test:noop', '{}'::json)).id::text AS id");
    const id = rows[0]!.id;
    await t.db.pool.query("UPDATE graphile_worker._private_jobs SET locked_by = $1, locked_at = $2 WHERE id = $3::bigint", [
      workerId,
      lockedAt,
      id,
    ]);
    return id;
  }

  async function lockOf(id: string): Promise<string | null> {
    const { rows } = await t.db.pool.query<{ locked_by: string | null }>(
      "SELECT locked_by FROM graphile_worker._private_jobs WHERE id = $1::bigint",
      [id],
    );
    return rows[0]!.locked_by;
  }

  it("releases the jobs of workers whose heartbeat went stale, and only those", async () => {
    const now = new Date();
    await recordWorkerHeartbeat(t.db, { workerId: "pool-dead", now: new Date(now.getTime() - 60_000) });
    await recordWorkerHeartbeat(t.db, { workerId: "pool-alive", now: new Date(now.getTime() - 1_000) });
    const dead = await lockedJob("pool-dead", new Date(now.getTime() - 60_000));
    const alive = await lockedJob("pool-alive", new Date(now.getTime() - 600_000));

    const released = await releaseStaleWorkers(t.db, { now, staleAfterMs: 30_000 });

    expect(released).toEqual(["pool-dead"]);
    expect(await lockOf(dead)).toBeNull();
    expect(await lockOf(alive)).toBe("pool-alive");
    expect(await releaseStaleWorkers(t.db, { now, staleAfterMs: 30_000 })).toEqual([]);
  });
});

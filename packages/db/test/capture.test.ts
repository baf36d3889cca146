import {
  followUpBlock,
  INSTAGRAM_PROFILE_TASK,
  instagramProfileJobKey,
  LEAD_FACTS_TASK,
  leadFactsJobKey,
  nextLeadStatus,
  nowJobKey,
  PLAN_LIMITS,
  PLAN_NAMES,
  replyJobKey,
  stepJobKey,
  type DeliveryGroup,
  type InboundEvent,
  type ParsedDelivery,
} from "@audnix/core";
import pg from "pg";
import { beforeEach, describe, expect, it } from "vitest";
import { withClient } from "../src/admin/index.ts";
import { LeadStatus } from "../src/generated/prisma/enums.ts";
import { captureDelivery, captureMailgunDelivery, createDb } from "../src/index.ts";
import { useTestDatabase } from "../src/testing/index.ts";

const t = useTestDatabase();
let owner: string;
let other: string;
const IG_ACCOUNT = "17841400000000001";
const OTHER_IG_ACCOUNT = "17841400000000002";
const at = new Date("2026-11-20T10:00:00Z");
let counter = 0;

function message(overrides: { from?: string; mid?: string; text?: string; accountId?: string; optOut?: boolean } = {}): InboundEvent {
  counter += 1;
  return {
    kind: "message",
    accountId: overrides.accountId ?? IG_ACCOUNT,
    providerMessageId: overrides.mid ?? `mid.${counter}`,
    sender: { externalId: overrides.from ?? "igsid-maya", name: null, email: null, phone: null },
    text: overrides.text ?? "Hi! How much is the course?",
    attachments: [],
    sentAt: at,
    thread: null,
    optOut: overrides.optOut ?? false,
  };
}

function delivery(events: InboundEvent[], channel: ParsedDelivery["channel"] = "instagram"): ParsedDelivery {
  const groups = new Map<string, DeliveryGroup>();
  for (const event of events) {
    const group = groups.get(event.accountId) ?? { accountId: event.accountId, rawEntries: [], events: [] };
    group.events.push(event);
    group.rawEntries.push({ id: event.accountId, marker: counter });
    groups.set(event.accountId, group);
  }
  return { channel, groups: [...groups.values()], rejected: [] };
}

const capture = (d: ParsedDelivery, deliveryId = `delivery-${++counter}`, receivedAt = at) =>
  captureDelivery(t.db, { delivery: d, deliveryId, receivedAt });

const admin = <T extends pg.QueryResultRow>(sql: string, params: unknown[] = []) =>
  withClient(t.adminUrl, (c) => c.query<T>(sql, params)).then((r) => r.rows);

beforeEach(async () => {
  await admin("TRUNCATE users CASCADE; DELETE FROM graphile_worker._private_jobs;");
  [owner, other] = await t.db.asSystem(async (tx) => {
    const a = await tx.user.create({ data: { email: "owner@shop.example", plan: "starter" } });
    const b = await tx.user.create({ data: { email: "other@shop.example", plan: "starter" } });
    await tx.connection.create({ data: { userId: a.id, channel: "instagram", externalAccountId: IG_ACCOUNT, status: "connected" } });
    await tx.connection.create({ data: { userId: b.id, channel: "instagram", externalAccountId: OTHER_IG_ACCOUNT, status: "connected" } });
    return [a.id, b.id];
  });
});

const replyJobs = () =>
  admin<{ key: string; payload: { leadId: string }; run_at: Date }>(
    `SELECT j.key, j.payload, j.run_at FROM graphile_worker._private_jobs j
     JOIN graphile_worker._private_tasks t ON t.id = j.task_id
     WHERE t.identifier = 'followup:reply' ORDER BY j.id`,
  );

const jobsOfTask = (task: string) =>
  admin<{ key: string; payload: Record<string, string> }>(
    `SELECT j.key, j.payload FROM graphile_worker._private_jobs j
     JOIN graphile_worker._private_tasks t ON t.id = j.task_id
     WHERE t.identifier = $1 ORDER BY j.id`,
    [task],
  );

describe("captureDelivery: background jobs", () => {
  it("queues each new message's facts job and each new Instagram lead's profile job, once", async () => {
    const first = message({ mid: "mid.facts.1", text: "my email is sam@shop.example" });
    await capture(delivery([first]));
    await capture(delivery([first]));
    await capture(delivery([message({ mid: "mid.facts.2", text: "and I'm in Berlin" })]));
    const lead = await t.db.asUser(owner, (tx) => tx.lead.findFirstOrThrow({ include: { messages: { orderBy: { body: "desc" } } } }));
    const [email, berlin] = lead.messages.map((m) => m.id);

    expect(await jobsOfTask(LEAD_FACTS_TASK)).toEqual([
      { key: leadFactsJobKey(email ?? ""), payload: { userId: owner, leadId: lead.id, messageId: email } },
      { key: leadFactsJobKey(berlin ?? ""), payload: { userId: owner, leadId: lead.id, messageId: berlin } },
    ]);
    expect(await jobsOfTask(INSTAGRAM_PROFILE_TASK)).toEqual([
      { key: instagramProfileJobKey(lead.id), payload: { userId: owner, leadId: lead.id } },
    ]);
  });

  it("reads no facts from a lead's STOP or from a lead who opted out, and fetches no profile off Instagram", async () => {
    await capture(delivery([message({ from: "igsid-stop", mid: "mid.stop", text: "STOP", optOut: true })]));
    await capture(delivery([message({ from: "igsid-stop", mid: "mid.after", text: "my email is x@shop.example" })]));
    expect(await jobsOfTask(LEAD_FACTS_TASK)).toEqual([]);
    expect(await jobsOfTask(INSTAGRAM_PROFILE_TASK)).toHaveLength(1);

    await admin("DELETE FROM graphile_worker._private_jobs");
    await capture(delivery([message({ accountId: owner, from: "sandbox:sam", mid: "sandbox.1", text: "call me Sam" })], "sandbox"));
    expect(await jobsOfTask(INSTAGRAM_PROFILE_TASK)).toEqual([]);
    expect(await jobsOfTask(LEAD_FACTS_TASK)).toHaveLength(1);
  });
});

describe("captureDelivery", () => {
  it("turns a routed message into a lead, a message, a raw event and one reply job", async () => {
    const summary = await capture(delivery([message()]));
    expect(summary).toMatchObject({ messagesInserted: 1, leadsCreated: 1, followUpsBlocked: 0 });
    expect(summary.groups).toEqual([{ accountId: IG_ACCOUNT, userId: owner, outcome: "processed" }]);

    const leads = await t.db.asUser(owner, (tx) => tx.lead.findMany({ include: { messages: true } }));
    expect(leads).toHaveLength(1);
    expect(leads[0]).toMatchObject({ externalId: "igsid-maya", channel: "instagram", status: "new", lastMessageAt: at });
    expect(leads[0]?.messages.map((m) => [m.direction, m.body])).toEqual([["inbound", "Hi! How much is the course?"]]);

    const events = await t.db.asUser(owner, (tx) => tx.webhookEvent.findMany());
    expect(events.map((e) => e.status)).toEqual(["processed"]);
    const user = await t.db.asUser(owner, (tx) => tx.user.findUniqueOrThrow({ where: { id: owner } }));
    expect(user.leadsUsed).toBe(1);

    const jobs = await replyJobs();
    expect(jobs).toHaveLength(1);
    expect(jobs[0]?.key).toBe(replyJobKey(leads[0]?.id ?? ""));
    // The lead page learns "a reply is being prepared" from the lead, not from the queue.
    expect(leads[0]?.replyDueAt).toEqual(jobs[0]?.run_at);
  });

  it("stores a delivery delivered three times at once exactly once", async () => {
    const d = delivery([message({ mid: "mid.dup" })]);
    const results = await Promise.all([capture(d, "same"), capture(d, "same"), capture(d, "same")]);
    expect(results.map((r) => r.groups[0]?.outcome).sort()).toEqual(["duplicate", "duplicate", "processed"]);
    expect(await t.db.asSystem((tx) => tx.message.count())).toBe(1);
    expect(await t.db.asSystem((tx) => tx.webhookEvent.count())).toBe(1);
  });

  it("stores one message when the same message arrives in three different deliveries at once", async () => {
    const results = await Promise.all([1, 2, 3].map((n) => capture(delivery([message({ mid: "mid.same" })]), `batch-${n}`)));
    expect(results.reduce((sum, r) => sum + r.messagesInserted, 0)).toBe(1);
    expect(results.reduce((sum, r) => sum + r.duplicateMessages, 0)).toBe(2);
    expect(await t.db.asSystem((tx) => tx.message.count())).toBe(1);
    expect(await t.db.asSystem((tx) => tx.lead.count())).toBe(1);
  });

  it("handles every entry of a 100-entry batch", async () => {
    const events = Array.from({ length: 100 }, (_, i) => message({ from: `igsid-${i}`, mid: `mid.batch.${i}` }));
    const summary = await capture(delivery(events));
    expect(summary).toMatchObject({ messagesInserted: 100, leadsCreated: 100 });
    expect(await t.db.asUser(owner, (tx) => tx.lead.count())).toBe(100);
    expect(await replyJobs()).toHaveLength(100);
  });

  it("routes each business's entries of a mixed batch to its owner and keeps only its own raw entries", async () => {
    await capture(delivery([message({ from: "a" }), message({ from: "b", accountId: OTHER_IG_ACCOUNT })]));
    const mine = await t.db.asUser(owner, (tx) => tx.webhookEvent.findMany());
    const theirs = await t.db.asUser(other, (tx) => tx.webhookEvent.findMany());
    expect(mine.map((e) => e.accountId)).toEqual([IG_ACCOUNT]);
    expect(theirs.map((e) => e.accountId)).toEqual([OTHER_IG_ACCOUNT]);
    expect(JSON.stringify(mine[0]?.payload)).not.toContain(OTHER_IG_ACCOUNT);
    expect(await t.db.asUser(owner, (tx) => tx.lead.findMany())).toHaveLength(1);
  });

  it("records an unknown account as unrouted and creates no lead", async () => {
    const summary = await capture(delivery([message({ accountId: "17841499999999999" })]));
    expect(summary.groups).toEqual([{ accountId: "17841499999999999", userId: null, outcome: "unrouted" }]);
    expect(await t.db.asSystem((tx) => tx.lead.count())).toBe(0);
    const events = await t.db.asSystem((tx) => tx.webhookEvent.findMany());
    expect(events.map((e) => [e.status, e.userId])).toEqual([["unrouted", null]]);
    expect(await t.db.asUser(owner, (tx) => tx.webhookEvent.count())).toBe(0);
    expect(await replyJobs()).toEqual([]);
  });

  it("gives two quick messages from one lead a single, later reply", async () => {
    await capture(delivery([message({ mid: "m1" })]), "d1", at);
    const later = new Date(at.getTime() + 5_000);
    await capture(delivery([message({ mid: "m2" })]), "d2", later);
    const jobs = await replyJobs();
    expect(jobs).toHaveLength(1);
    expect(jobs[0]?.run_at.getTime()).toBeGreaterThan(later.getTime());
  });

  it("keeps echoes of our own sends on a known lead and never makes them a lead or a reply", async () => {
    const echo = (to: string, mid: string): InboundEvent => ({
      kind: "echo", accountId: IG_ACCOUNT, providerMessageId: mid, recipientExternalId: to,
      text: "Thanks for reaching out!", attachments: [], sentAt: at,
    });
    await capture(delivery([echo("igsid-stranger", "echo-1")]));
    expect(await t.db.asSystem((tx) => tx.lead.count())).toBe(0);

    await capture(delivery([message()]));
    await admin("DELETE FROM graphile_worker._private_jobs");
    await capture(delivery([echo("igsid-maya", "echo-2")]));
    const messages = await t.db.asUser(owner, (tx) => tx.message.findMany({ orderBy: { sentAt: "asc" } }));
    expect(messages.map((m) => m.direction).sort()).toEqual(["inbound", "outbound"]);
    expect(await replyJobs()).toEqual([]);
  });

  it("records read receipts and reactions without a lead", async () => {
    const summary = await capture(
      delivery([{ kind: "notice", accountId: IG_ACCOUNT, notice: "read", detail: "read up to mid.1" }]),
    );
    expect(summary.messagesInserted).toBe(0);
    const events = await t.db.asUser(owner, (tx) => tx.webhookEvent.findMany());
    expect(events.map((e) => e.status)).toEqual(["ignored"]);
    expect(await t.db.asSystem((tx) => tx.lead.count())).toBe(0);
  });

  it("cancels the lead's planned follow-ups when the lead writes back, and marks it replied", async () => {
    await capture(delivery([message({ mid: "first" })]));
    const lead = await t.db.asUser(owner, (tx) => tx.lead.findFirstOrThrow());
    await t.db.asUser(owner, async (tx) => {
      await tx.lead.update({ where: { id: lead.id }, data: { status: "contacted" } });
      await tx.followUp.create({
        data: { userId: owner, leadId: lead.id, step: 1, channel: "instagram", plannedAt: at, jobKey: `followup:step:${lead.id}:1` },
      });
      await tx.$executeRaw`SELECT graphile_worker.add_job('followup:step', '{}'::json, job_key := ${`followup:step:${lead.id}:1`})`;
    });

    await capture(delivery([message({ mid: "second", text: "Sorry, was busy" })]));

    const followUps = await t.db.asUser(owner, (tx) => tx.followUp.findMany());
    expect(followUps.map((f) => [f.status, f.reason])).toEqual([["cancelled", "lead replied"]]);
    expect(await admin("SELECT 1 FROM graphile_worker.jobs WHERE key = $1", [`followup:step:${lead.id}:1`])).toEqual([]);
    const updated = await t.db.asUser(owner, (tx) => tx.lead.findUniqueOrThrow({ where: { id: lead.id } }));
    expect(updated.status).toBe("replied");
  });

  it("stores leads over the plan's limit but starts no follow-up, and says why", async () => {
    await t.db.asSystem((tx) => tx.user.update({ where: { id: owner }, data: { leadsUsed: 100 } }));
    const summary = await capture(delivery([message()]));
    expect(summary).toMatchObject({ leadsCreated: 1, messagesInserted: 1, followUpsBlocked: 1 });
    const lead = await t.db.asUser(owner, (tx) => tx.lead.findFirstOrThrow({ include: { facts: true, messages: true } }));
    expect(lead.messages).toHaveLength(1);
    expect(lead.aiBlockedReason).toBe("lead_limit_reached");
    expect(lead.facts).toEqual([]);
    expect(await replyJobs()).toEqual([]);

    await capture(delivery([message({ text: "hello again?" })]));
    expect(await replyJobs()).toEqual([]);
  });

  it("starts no follow-up after the trial ended", async () => {
    await t.db.asSystem((tx) =>
      tx.user.update({ where: { id: owner }, data: { plan: "trial", trialExpiresAt: new Date(at.getTime() - 1000) } }),
    );
    await capture(delivery([message()]));
    const lead = await t.db.asUser(owner, (tx) => tx.lead.findFirstOrThrow());
    expect(lead.aiBlockedReason).toBe("trial_expired");
    expect(await replyJobs()).toEqual([]);
  });

  it("moves a lead that writes to the status core's nextLeadStatus gives, from every status", async () => {
    for (const status of Object.values(LeadStatus)) {
      const from = `igsid-status-${status}`;
      await capture(delivery([message({ from })]));
      const lead = await t.db.asUser(owner, (tx) => tx.lead.findFirstOrThrow({ where: { externalId: from } }));
      await t.db.asUser(owner, (tx) => tx.lead.update({ where: { id: lead.id }, data: { status } }));
      await capture(delivery([message({ from })]));
      const after = await t.db.asUser(owner, (tx) => tx.lead.findUniqueOrThrow({ where: { id: lead.id } }));
      expect(after.status, status).toBe(nextLeadStatus(status, "inbound_received"));
    }
  });

  it("refuses a new lead for the reason core's followUpBlock gives, for every plan, trial and usage case", async () => {
    // The refusal is computed in SQL beside the one-statement admission; this holds it to core.
    const trialEnds = [null, new Date(at.getTime() - 1000), at, new Date(at.getTime() + 1000)];
    let n = 0;
    for (const plan of PLAN_NAMES) {
      const limit = PLAN_LIMITS[plan].leads;
      for (const trialExpiresAt of trialEnds) {
        for (const leadsUsed of [...new Set([Math.max(0, limit - 1), limit])]) {
          await t.db.asSystem((tx) => tx.user.update({ where: { id: owner }, data: { plan, trialExpiresAt, leadsUsed } }));
          const from = `igsid-plan-${++n}`;
          await capture(delivery([message({ from })]));
          const lead = await t.db.asUser(owner, (tx) => tx.lead.findFirstOrThrow({ where: { externalId: from } }));
          const expected = followUpBlock({ plan, leadsUsed, trialExpiresAt }, at);
          expect(lead.aiBlockedReason, `${plan} ${trialExpiresAt?.toISOString() ?? "no trial end"} ${leadsUsed}`).toBe(expected);
        }
      }
    }
  });

  it("admits exactly one of 50 concurrent new leads at 99 of 100", async () => {
    await t.db.asSystem((tx) => tx.user.update({ where: { id: owner }, data: { leadsUsed: 99 } }));
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => capture(delivery([message({ from: `rush-${i}`, mid: `rush.${i}` })]))),
    );
    expect(results.reduce((sum, r) => sum + r.leadsCreated, 0)).toBe(50);
    expect(results.reduce((sum, r) => sum + r.followUpsBlocked, 0)).toBe(49);
    const user = await t.db.asSystem((tx) => tx.user.findUniqueOrThrow({ where: { id: owner } }));
    expect(user.leadsUsed).toBe(100);
    expect(await replyJobs()).toHaveLength(1);
  });

  it("routes a sandbox delivery to the user it names, and nobody else", async () => {
    const sandbox = (accountId: string) =>
      delivery([{ ...message({ accountId, from: "sandbox-ana" }) }], "sandbox");
    expect((await capture(sandbox(owner))).groups[0]?.outcome).toBe("processed");
    expect((await capture(sandbox("00000000-0000-0000-0000-000000000000"))).groups[0]?.outcome).toBe("unrouted");
    expect(await t.db.asUser(owner, (tx) => tx.lead.count({ where: { channel: "sandbox" } }))).toBe(1);
    expect(await t.db.asUser(other, (tx) => tx.lead.count())).toBe(0);
  });

  it("notifies the live dashboard of new leads and messages, naming the owner", async () => {
    const listener = new pg.Client({ connectionString: t.appUrl });
    await listener.connect();
    const seen: unknown[] = [];
    listener.on("notification", (n) => seen.push(JSON.parse(n.payload ?? "null")));
    await listener.query("LISTEN audnix_live");
    try {
      await capture(delivery([message({ mid: "n1" })]));
      await capture(delivery([message({ mid: "n2" })]));
      const lead = await t.db.asUser(owner, (tx) => tx.lead.findFirstOrThrow());
      await expect.poll(() => seen).toEqual([
        { userId: owner, type: "lead.created", leadId: lead.id },
        { userId: owner, type: "message.created", leadId: lead.id },
      ]);
    } finally {
      await listener.end();
    }
  });
});

describe("captureDelivery when the database refuses or fails", () => {
  const failedEvents = () =>
    t.db.asSystem((tx) => tx.webhookEvent.findMany({ where: { status: "failed" }, select: { accountId: true, error: true, payload: true } }));

  it("keeps a delivery the database refuses for good as failed events, and returns instead of throwing", async () => {
    // A value core would have cleaned (checkInboundEvent), handed over as if it had slipped past.
    const poisoned = delivery([message({ text: "nul \u0000 inside" })]);
    const summary = await capture(poisoned, "poisoned");
    expect(summary.refused).toEqual({ sqlState: expect.stringMatching(/^22/) });
    expect(summary.groups).toEqual([{ accountId: IG_ACCOUNT, userId: null, outcome: "refused" }]);
    const failed = await failedEvents();
    expect(failed).toEqual([{ accountId: IG_ACCOUNT, error: expect.stringMatching(/^database refused the delivery \(SQLSTATE 22\w{3}\)$/), payload: poisoned.groups[0]?.rawEntries }]);
    expect(failed[0]?.error).not.toContain("nul");
    expect(await t.db.asSystem((tx) => tx.message.count())).toBe(0);

    // The same delivery again is recorded once, and still answered.
    expect((await capture(poisoned, "poisoned")).refused).not.toBeNull();
    expect(await failedEvents()).toHaveLength(1);
  });

  it("leaves a caller's own transaction usable after a refusal", async () => {
    const client = await t.db.pool.connect();
    try {
      await client.query("BEGIN");
      const summary = await captureDelivery(t.db, { delivery: delivery([message({ text: "\u0000" })]), deliveryId: "in-tx", receivedAt: at }, client);
      expect(summary.refused).not.toBeNull();
      expect((await client.query("SELECT 1 AS ok")).rows).toEqual([{ ok: 1 }]);
      // The refusal is written on the system path; the caller's transaction does not stay on it.
      expect((await client.query<{ system: string | null }>("SELECT current_setting('app.system', true) AS system")).rows[0]?.system).not.toBe("on");
      await client.query("COMMIT");
    } finally {
      client.release();
    }
    expect(await failedEvents()).toHaveLength(1);
  });

  it("keeps a refusal inside the Mailgun token transaction on that transaction's own connection (a pool of one does not deadlock)", async () => {
    const single = createDb({ url: t.appUrl, maxConnections: 1 });
    const expiresAt = new Date(at.getTime() + 3600_000);
    try {
      const poisoned = delivery([message({ text: "nul \u0000 inside" })]);
      const result = await captureMailgunDelivery(
        single,
        { delivery: poisoned, deliveryId: "refused-in-token-tx", receivedAt: at },
        { token: "t".repeat(50), contentSha256: "c".repeat(64), signedAt: at, expiresAt },
      );
      expect(result).toMatchObject({ outcome: "captured", summary: { refused: { sqlState: expect.stringMatching(/^22/) } } });
    } finally {
      await single.close();
    }
    // Committed together: the failed event and the token.
    expect(await failedEvents()).toEqual([expect.objectContaining({ accountId: IG_ACCOUNT })]);
    expect(await admin("SELECT token FROM mailgun_webhook_tokens")).toEqual([{ token: "t".repeat(50) }]);
  });

  it("throws when the database is unreachable, so the webhook answers 5xx and the retry can succeed", async () => {
    const down = createDb({ url: "postgresql://audnix_app@127.0.0.1:1/none", maxConnections: 1 });
    try {
      const d = delivery([message({ mid: "while-down" })]);
      await expect(captureDelivery(down, { delivery: d, deliveryId: "while-down", receivedAt: at })).rejects.toThrow();
      expect((await capture(d, "while-down")).messagesInserted).toBe(1);
    } finally {
      await down.close();
    }
  });
});

describe("a keyword opt-out at capture", () => {
  async function leadWithPlannedStep() {
    await capture(delivery([message({ mid: "hello" })]));
    const lead = await t.db.asUser(owner, (tx) => tx.lead.findFirstOrThrow());
    const jobKey = stepJobKey(lead.id, 1);
    await t.db.asUser(owner, async (tx) => {
      await tx.lead.update({ where: { id: lead.id }, data: { status: "contacted" } });
      await tx.followUp.create({ data: { userId: owner, leadId: lead.id, step: 1, channel: "instagram", plannedAt: at, jobKey } });
      await tx.$executeRaw`SELECT graphile_worker.add_job('followup:step', '{}'::json, job_key := ${jobKey})`;
      await tx.$executeRaw`SELECT graphile_worker.add_job('followup:now', '{}'::json, job_key := ${nowJobKey(lead.id)})`;
    });
    return lead.id;
  }
  // The follow-up engine's jobs (the lead's profile fetch sends nothing and may stay).
  const jobsOf = (leadId: string) =>
    admin<{ key: string }>("SELECT key FROM graphile_worker.jobs WHERE key LIKE 'followup:%' || $1 || '%'", [leadId]);

  it("opts the lead out in the capture's own transaction: status, steps and jobs cancelled, audit, no reply", async () => {
    const leadId = await leadWithPlannedStep();
    const summary = await capture(delivery([message({ mid: "stop", text: "STOP", optOut: true })]), "stop", new Date(at.getTime() + 60_000));
    expect(summary.leadsOptedOut).toBe(1);

    const lead = await t.db.asUser(owner, (tx) => tx.lead.findUniqueOrThrow({ where: { id: leadId }, include: { followUps: true, messages: true } }));
    expect(lead).toMatchObject({ status: "opted_out", optedOutAt: new Date(at.getTime() + 60_000) });
    expect(lead.followUps.map((f) => [f.status, f.reason])).toEqual([["cancelled", "lead opted out"]]);
    expect(lead.messages.map((m) => m.body).sort()).toEqual(["Hi! How much is the course?", "STOP"]);
    expect(await jobsOf(leadId)).toEqual([]);
    const audit = await t.db.asUser(owner, (tx) => tx.auditLog.findMany({ where: { action: "lead.opted_out" } }));
    expect(audit.map((row) => [row.target, row.data])).toEqual([[leadId, { source: "message" }]]);
  });

  it("opts out a lead whose first message is STOP, and never answers an opted-out lead again", async () => {
    await capture(delivery([message({ from: "igsid-first-stop", mid: "first-stop", text: "unsubscribe", optOut: true })]));
    const lead = await t.db.asUser(owner, (tx) => tx.lead.findFirstOrThrow({ where: { externalId: "igsid-first-stop" } }));
    expect(lead.status).toBe("opted_out");
    await capture(delivery([message({ from: "igsid-first-stop", mid: "later", text: "actually, what does it cost?" })]));
    expect(await replyJobs()).toEqual([]);
    expect(await t.db.asUser(owner, (tx) => tx.message.count({ where: { leadId: lead.id } }))).toBe(2);
  });

  it("acts only on core's flag: the word STOP without it is a message like any other", async () => {
    await capture(delivery([message({ from: "igsid-unflagged", mid: "unflagged", text: "STOP" })]));
    const lead = await t.db.asUser(owner, (tx) => tx.lead.findFirstOrThrow({ where: { externalId: "igsid-unflagged" } }));
    expect(lead.status).toBe("new");
    expect(await replyJobs()).toHaveLength(1);
  });
});

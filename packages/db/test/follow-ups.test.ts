import { beforeAll, describe, expect, it } from "vitest";
import {
  beginSend,
  completeSend,
  ensureUnsubscribeToken,
  findUnsubscribeLead,
  loadFollowUpContext,
  nextPlannedStep,
  recordWorkerHeartbeat,
  releaseStaleWorkers,
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
      data: { userId: owner, leadId, channel: "instagram", direction: "inbound", providerMessageId: "mid.1", body: "Hi", sentAt: at },
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
    const input = { userId: owner, leadId, idempotencyKey: "reply:test-1", channel: "instagram" as const, body: "Hi Maya!", now: at };
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
      delivery: "sent",
      next,
      answeredUpTo: at,
      now: at,
    });
    expect(await beginSend(t.db, input)).toMatchObject({ created: false, delivery: "sent", providerMessageId: "mid.out.1" });
    expect(await nextPlannedStep(t.db, { userId: owner, leadId })).toMatchObject({ step: 1, channel: "instagram", plannedAt: next.plannedAt });
    expect(await nextPlannedStep(t.db, { userId: stranger, leadId })).toBeNull();
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
      tx.lead.findUniqueOrThrow({ where: { id: leadId }, select: { status: true, facts: { select: { key: true, value: true } } } }),
    );
    expect(lead.status).toBe("opted_out");
    expect(lead.facts).toContainEqual({ key: "opt_out", value: "true" });
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

  it("releases the jobs of workers whose heartbeat went stale (or that never beat), and only those", async () => {
    const now = new Date();
    await recordWorkerHeartbeat(t.db, { workerId: "pool-dead", now: new Date(now.getTime() - 60_000) });
    await recordWorkerHeartbeat(t.db, { workerId: "pool-alive", now: new Date(now.getTime() - 1_000) });
    const dead = await lockedJob("pool-dead", new Date(now.getTime() - 60_000));
    const alive = await lockedJob("pool-alive", new Date(now.getTime() - 600_000));
    const orphan = await lockedJob("pool-never-beat", new Date(now.getTime() - 60_000));
    const young = await lockedJob("pool-just-started", new Date(now.getTime() - 1_000));

    const released = await releaseStaleWorkers(t.db, { now, staleAfterMs: 30_000 });

    expect(released.sort()).toEqual(["pool-dead", "pool-never-beat"]);
    expect(await lockOf(dead)).toBeNull();
    expect(await lockOf(orphan)).toBeNull();
    expect(await lockOf(alive)).toBe("pool-alive");
    expect(await lockOf(young)).toBe("pool-just-started");
    expect(await releaseStaleWorkers(t.db, { now, staleAfterMs: 30_000 })).toEqual([]);
  });
});

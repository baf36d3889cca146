import { readFile } from "node:fs/promises";
import path from "node:path";
import {
  inboundNeedsOwnerReason,
  NEEDS_OWNER_DETAIL_MAX_CHARS,
  NEEDS_OWNER_REASONS,
  NEEDS_YOU_EMAIL_DELAY_SECONDS,
  NEEDS_YOU_EMAIL_JOB_KEY_PREFIX,
  NEEDS_YOU_EMAIL_TASK,
  needsYouEmailJobKey,
  type InboundEvent,
  type NeedsOwner,
} from "@audnix/core";
import type pg from "pg";
import { beforeEach, describe, expect, it } from "vitest";
import { repoRoot, withClient } from "../src/admin/index.ts";
import { LeadStatus } from "../src/generated/prisma/enums.ts";
import { beginSend, captureDelivery, clearNeedsOwner, completeSend, failSend, listenForLiveEvents, type LiveEvent } from "../src/index.ts";
import { useTestDatabase } from "../src/testing/index.ts";

// The "Needs you" queue (docs/decisions/0027): every way a lead starts needing the owner, in the
// transaction of the fact, with one precedence, one live event and one alert job per owner.

const t = useTestDatabase();
const AT = new Date("2026-11-20T10:00:00.000Z");
const LATER = new Date("2026-11-20T11:00:00.000Z");
let owner: string;
let counter = 0;

const admin = <T extends pg.QueryResultRow>(sql: string, params: unknown[] = []) =>
  withClient(t.adminUrl, (c) => c.query<T>(sql, params)).then((r) => r.rows);

beforeEach(async () => {
  await admin("TRUNCATE users CASCADE; DELETE FROM graphile_worker._private_jobs;");
  owner = await t.db.asSystem(async (tx) => (await tx.user.create({ data: { email: "owner@shop.example", plan: "starter" } })).id);
});

async function lead(data: { status?: LeadStatus; aiPausedAt?: Date | null } = {}): Promise<string> {
  counter += 1;
  const row = await t.db.asSystem((tx) =>
    tx.lead.create({ data: { userId: owner, externalId: `sandbox-${counter}`, name: "Maria", channel: "sandbox", ...data } }),
  );
  return row.id;
}

type InboundMessage = Extract<InboundEvent, { kind: "message" }>;

function inbound(externalId: string, overrides: Partial<InboundMessage> = {}): InboundMessage {
  counter += 1;
  return {
    kind: "message",
    accountId: owner,
    providerMessageId: `sandbox-mid-${counter}`,
    sender: { externalId, name: null, email: null, phone: null },
    text: "Hello again, are you there?",
    attachments: [],
    sentAt: AT,
    thread: null,
    optOut: false,
    ...overrides,
  };
}

async function write(leadId: string, overrides: Partial<InboundMessage> = {}) {
  const { externalId } = await t.db.asSystem((tx) => tx.lead.findUniqueOrThrow({ where: { id: leadId }, select: { externalId: true } }));
  const event = inbound(externalId, overrides);
  await captureDelivery(t.db, {
    delivery: { channel: "sandbox", groups: [{ accountId: owner, rawEntries: [], events: [event] }], rejected: [] },
    deliveryId: `delivery-${counter}`,
    receivedAt: AT,
  });
}

const flag = (leadId: string) =>
  t.db.asSystem((tx) =>
    tx.lead.findUniqueOrThrow({ where: { id: leadId }, select: { needsOwnerAt: true, needsOwnerReason: true, needsOwnerDetail: true } }),
  );

const alertJobs = () =>
  admin<{ key: string; payload: { userId: string }; run_at: Date }>(
    `SELECT j.key, j.payload, j.run_at FROM graphile_worker._private_jobs j
       JOIN graphile_worker._private_tasks t ON t.id = j.task_id WHERE t.identifier = $1`,
    [NEEDS_YOU_EMAIL_TASK],
  );

/** An AI reply recorded as pending (optionally flagging the lead as the unanswered reply does). */
async function pendingSend(leadId: string, now = AT, needsOwner: NeedsOwner | null = null) {
  counter += 1;
  const { messageId } = await beginSend(t.db, {
    userId: owner,
    leadId,
    idempotencyKey: `reply:test-${counter}`,
    channel: "sandbox",
    author: "ai",
    followUpStep: null,
    body: "Hi Maria!",
    needsOwner,
    now,
  });
  return messageId;
}

const settle = { next: null, endStatus: null, answeredUpTo: null };

describe("a message from a known lead", () => {
  it("flags a paused lead as having written while paused, at the time it arrived", async () => {
    const leadId = await lead({ status: "replied", aiPausedAt: AT });
    await write(leadId);
    expect(await flag(leadId)).toEqual({ needsOwnerAt: AT, needsOwnerReason: "wrote_while_paused", needsOwnerDetail: null });
  });

  it("flags a lost or converted lead as having written after the sequence ended", async () => {
    const lost = await lead({ status: "lost" });
    const converted = await lead({ status: "converted" });
    await write(lost);
    await write(converted);
    expect((await flag(lost)).needsOwnerReason).toBe("wrote_after_sequence_ended");
    expect((await flag(converted)).needsOwnerReason).toBe("wrote_after_sequence_ended");
  });

  it("flags nothing for a STOP, or for a lead the AI is talking to", async () => {
    const stopping = await lead({ status: "lost" });
    const talking = await lead({ status: "contacted" });
    await write(stopping, { text: "STOP", optOut: true });
    await write(talking);
    expect((await flag(stopping)).needsOwnerReason).toBeNull();
    expect((await flag(talking)).needsOwnerReason).toBeNull();
  });

  it("follows core's rule for every status, paused or not", async () => {
    for (const status of Object.values(LeadStatus)) {
      for (const paused of [false, true]) {
        const leadId = await lead({ status, aiPausedAt: paused ? AT : null });
        await write(leadId);
        expect({ status, paused, reason: (await flag(leadId)).needsOwnerReason }).toEqual({
          status,
          paused,
          reason: inboundNeedsOwnerReason({ status, aiPaused: paused }),
        });
      }
    }
  });
});

describe("a send that fails", () => {
  it("flags the lead with our reason when the vendor refused it", async () => {
    const leadId = await lead({ status: "contacted" });
    const messageId = await pendingSend(leadId);
    await failSend(t.db, { userId: owner, leadId, messageId, reason: "outside the 24-hour window", ...settle, now: AT });
    expect(await flag(leadId)).toEqual({ needsOwnerAt: AT, needsOwnerReason: "send_failed", needsOwnerDetail: "outside the 24-hour window" });
  });

  it("flags the lead when delivery is unconfirmed, and not when it was sent", async () => {
    const unconfirmed = await lead({ status: "contacted" });
    const sent = await lead({ status: "contacted" });
    const a = await pendingSend(unconfirmed);
    const b = await pendingSend(sent);
    await completeSend(t.db, { userId: owner, leadId: unconfirmed, messageId: a, providerMessageId: null, delivery: { status: "unconfirmed", reason: "the vendor did not answer in time" }, ...settle, now: AT });
    await completeSend(t.db, { userId: owner, leadId: sent, messageId: b, providerMessageId: "sandbox-out-1", delivery: { status: "sent" }, ...settle, now: AT });
    expect((await flag(unconfirmed)).needsOwnerReason).toBe("send_failed");
    expect((await flag(sent)).needsOwnerReason).toBeNull();
  });
});

describe("precedence", () => {
  it("keeps a stronger reason and its text when a lesser one arrives", async () => {
    const leadId = await lead({ status: "contacted" });
    await pendingSend(leadId, AT, { reason: "unanswered_question", detail: "Do you ship to Peru?" });
    const messageId = await pendingSend(leadId, LATER);
    await failSend(t.db, { userId: owner, leadId, messageId, reason: "refused", ...settle, now: LATER });
    expect(await flag(leadId)).toEqual({ needsOwnerAt: AT, needsOwnerReason: "unanswered_question", needsOwnerDetail: "Do you ship to Peru?" });
  });

  it("lets a stronger reason replace a lesser one, keeping when the wait began", async () => {
    const leadId = await lead({ status: "lost" });
    await write(leadId);
    const messageId = await pendingSend(leadId, LATER);
    await failSend(t.db, { userId: owner, leadId, messageId, reason: "refused", ...settle, now: LATER });
    expect(await flag(leadId)).toEqual({ needsOwnerAt: AT, needsOwnerReason: "send_failed", needsOwnerDetail: "refused" });
  });

  it("is the enum's order, which is core's list", async () => {
    const rows = await admin<{ reasons: string }>(`SELECT enum_range(NULL::"NeedsOwnerReason")::text AS reasons`);
    expect(rows[0]?.reasons).toBe(`{${NEEDS_OWNER_REASONS.join(",")}}`);
  });
});

describe("the live event and the email alert", () => {
  it("tells the owner's dashboards once, with ids and the reason only", async () => {
    const events: LiveEvent[] = [];
    let listening!: () => void;
    const ready = new Promise<void>((resolve) => (listening = resolve));
    let received!: () => void;
    const arrived = new Promise<void>((resolve) => (received = resolve));
    const listener = listenForLiveEvents(
      t.appUrl,
      (event) => {
        events.push(event);
        if (event.type === "lead.needs_owner") received();
      },
      { onListening: () => listening() },
    );
    try {
      await ready;
      const leadId = await lead({ status: "replied", aiPausedAt: AT });
      await write(leadId);
      await arrived;
      expect(events.filter((event) => event.type === "lead.needs_owner")).toEqual([
        { userId: owner, type: "lead.needs_owner", leadId, reason: "wrote_while_paused" },
      ]);
    } finally {
      await listener.close();
    }
  });

  it("queues one alert job per owner when the owner asked for email, at the first flag's time plus the delay", async () => {
    const first = await lead({ status: "lost" });
    const second = await lead({ status: "lost" });
    await write(first);
    expect(await alertJobs()).toEqual([]);
    await t.db.asSystem((tx) => tx.brandSettings.create({ data: { userId: owner, needsYouEmail: true } }));
    await clearNeedsOwner(t.db, { userId: owner, leadId: first, now: AT });
    await write(first);
    await write(second);
    const jobs = await alertJobs();
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ key: needsYouEmailJobKey(owner), payload: { userId: owner } });
    expect(jobs[0]?.run_at).toEqual(new Date(AT.getTime() + NEEDS_YOU_EMAIL_DELAY_SECONDS * 1000));
  });

  it("spells core's task, key prefix, delay and detail length in the SQL", async () => {
    const sql = await readFile(path.join(repoRoot, "packages/db/prisma/migrations/20261202010108_needs_you/migration.sql"), "utf8");
    expect(sql).toContain(`'${NEEDS_YOU_EMAIL_TASK}',`);
    expect(sql).toContain(`job_key := '${NEEDS_YOU_EMAIL_JOB_KEY_PREFIX}' || p_user`);
    expect(sql).toContain(`make_interval(secs => ${NEEDS_YOU_EMAIL_DELAY_SECONDS})`);
    expect(sql).toContain(`left(NEW.failure_reason, ${NEEDS_OWNER_DETAIL_MAX_CHARS})`);
  });
});

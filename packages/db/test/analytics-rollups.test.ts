import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { promisify } from "node:util";
import {
  createSeededRandom,
  FIRST_RESPONSE_BUCKET_BOUNDS_SECONDS,
  firstResponseBucket,
  localDateOf,
  randomIntInclusive,
  type DeliveryGroup,
  type InboundEvent,
  type RandomSource,
} from "@audnix/core";
import type pg from "pg";
import { beforeEach, describe, expect, it } from "vitest";
import { repoRoot, withClient } from "../src/admin/index.ts";
import {
  beginSend,
  captureDelivery,
  completeSend,
  failSend,
  readAnalyticsRollups,
  rebuildAnalyticsRollups,
  recordOptOut,
  releaseSend,
} from "../src/index.ts";
import { useTestDatabase } from "../src/testing/index.ts";

// The rollups are a cache of the raw tables: after any sequence of writes through the real paths
// (capture, the engine's send bookkeeping, owner sends, vendor statuses, convert/undo, opt-outs,
// zone changes), they must equal a recount written here, independently, in TypeScript.

const t = useTestDatabase();
const IG_ACCOUNT = "17841400000000077";

const admin = <T extends pg.QueryResultRow>(sql: string, params: unknown[] = []) =>
  withClient(t.adminUrl, (c) => c.query<T>(sql, params)).then((r) => r.rows);

let owner: string;
let other: string;

beforeEach(async () => {
  await admin("TRUNCATE users CASCADE; DELETE FROM graphile_worker._private_jobs;");
  [owner, other] = await t.db.asSystem(async (tx) => {
    const a = await tx.user.create({ data: { email: "owner@shop.example", plan: "pro" } });
    const b = await tx.user.create({ data: { email: "other@shop.example", plan: "pro" } });
    await tx.connection.create({ data: { userId: a.id, channel: "instagram", externalAccountId: IG_ACCOUNT, status: "connected" } });
    return [a.id, b.id];
  });
});

// ---- the oracle: a recount over the raw rows --------------------------------------------------

interface RawMessage {
  id: string;
  user_id: string;
  lead_id: string;
  channel: string;
  direction: "inbound" | "outbound";
  author: "lead" | "ai" | "owner" | "business_app";
  follow_up_step: number | null;
  delivery_status: string | null;
  sent_at: Date;
}
interface RawLead {
  id: string;
  user_id: string;
  channel: string;
  created_at: Date;
  converted_at: Date | null;
  opted_out_at: Date | null;
  conversion_value_minor: string | null;
  conversion_currency: string | null;
}

type Counts = Record<string, number>;

function bump(map: Map<string, Counts>, key: string, field: string, by = 1) {
  const row = map.get(key) ?? {};
  row[field] = (row[field] ?? 0) + by;
  map.set(key, row);
}

/** Rows without any non-zero counter are absent (a rollup row whose counts went back to 0 is equivalent). */
function nonZero(map: Map<string, Counts>): Record<string, Counts> {
  const result: Record<string, Counts> = {};
  for (const [key, row] of [...map.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const kept = Object.fromEntries(Object.entries(row).filter(([, value]) => value !== 0));
    if (Object.keys(kept).length) result[key] = kept;
  }
  return result;
}

async function recount(userId: string) {
  const [zone] = await admin<{ timezone: string }>("SELECT coalesce((SELECT timezone FROM brand_settings WHERE user_id = $1), 'UTC') AS timezone", [userId]);
  const timeZone = zone!.timezone;
  const day = (at: Date) => localDateOf(at, timeZone);
  const messages = await admin<RawMessage>(
    "SELECT id, user_id, lead_id, channel, direction, author, follow_up_step, delivery_status, sent_at FROM messages WHERE user_id = $1",
    [userId],
  );
  const leads = await admin<RawLead>(
    `SELECT id, user_id, channel, created_at, converted_at, opted_out_at, conversion_value_minor::text, conversion_currency
       FROM leads WHERE user_id = $1`,
    [userId],
  );
  const daily = new Map<string, Counts>();
  const responses = new Map<string, Counts>();
  const values = new Map<string, Counts>();

  for (const m of messages) {
    const key = `${day(m.sent_at)}|${m.channel}|${m.follow_up_step ?? 0}`;
    const field = {
      lead: "messages_in",
      ai: m.follow_up_step === null ? "ai_replies" : "ai_follow_ups",
      owner: "owner_messages",
      business_app: "business_app_messages",
    }[m.author];
    bump(daily, key, field);
    if (m.delivery_status === "failed") bump(daily, key, "sends_failed");
    if (m.delivery_status === "unconfirmed") bump(daily, key, "sends_unconfirmed");
  }

  const byLead = new Map<string, RawMessage[]>();
  for (const m of messages) byLead.set(m.lead_id, [...(byLead.get(m.lead_id) ?? []), m]);
  const order = (a: RawMessage, b: RawMessage) => a.sent_at.getTime() - b.sent_at.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  for (const lead of leads) {
    bump(daily, `${day(lead.created_at)}|${lead.channel}|0`, "leads_new");
    if (lead.converted_at) bump(daily, `${day(lead.converted_at)}|${lead.channel}|0`, "conversions");
    if (lead.opted_out_at) bump(daily, `${day(lead.opted_out_at)}|${lead.channel}|0`, "opt_outs");
    if (lead.converted_at && lead.conversion_value_minor !== null) {
      const key = `${day(lead.converted_at)}|${lead.channel}|${lead.conversion_currency}`;
      bump(values, key, "conversions");
      bump(values, key, "value_minor", Number(lead.conversion_value_minor));
    }

    const own = (byLead.get(lead.id) ?? []).sort(order);
    const inbound = own.filter((m) => m.direction === "inbound");
    const ai = own.filter((m) => m.author === "ai");
    ai.forEach((m, index) => {
      const next = ai[index + 1];
      const answered = inbound.some((i) => i.sent_at > m.sent_at && (!next || i.sent_at < next.sent_at));
      if (answered) bump(daily, `${day(m.sent_at)}|${m.channel}|${m.follow_up_step ?? 0}`, "ai_answered");
    });
    const firstIn = inbound[0];
    const firstOut = firstIn && own.find((m) => m.direction === "outbound" && m.sent_at > firstIn.sent_at && m.delivery_status !== "failed");
    if (firstIn && firstOut) {
      const seconds = (firstOut.sent_at.getTime() - firstIn.sent_at.getTime()) / 1000;
      bump(responses, `${day(firstOut.sent_at)}|${lead.channel}|${firstResponseBucket(seconds)}`, "leads");
    }
  }
  return { daily: nonZero(daily), responses: nonZero(responses), values: nonZero(values) };
}

async function stored(userId: string) {
  const read = async (sql: string) => {
    const map = new Map<string, Counts>();
    for (const { key, ...counts } of await admin<{ key: string } & Counts>(sql, [userId])) {
      map.set(key, Object.fromEntries(Object.entries(counts).map(([field, value]) => [field, Number(value)])));
    }
    return nonZero(map);
  };
  return {
    daily: await read(`SELECT to_char(day, 'YYYY-MM-DD') || '|' || channel || '|' || follow_up_step AS key, leads_new, messages_in,
                              ai_replies, ai_follow_ups, owner_messages, business_app_messages, ai_answered, sends_failed,
                              sends_unconfirmed, conversions, opt_outs
                         FROM analytics_daily WHERE user_id = $1`),
    responses: await read(`SELECT to_char(day, 'YYYY-MM-DD') || '|' || channel || '|' || bucket AS key, leads
                             FROM analytics_first_responses WHERE user_id = $1`),
    values: await read(`SELECT to_char(day, 'YYYY-MM-DD') || '|' || channel || '|' || currency AS key, conversions, value_minor
                          FROM analytics_conversion_values WHERE user_id = $1`),
  };
}

// ---- random writes through the real paths ----------------------------------------------------

const ZONES = ["UTC", "Asia/Kathmandu", "Asia/Kolkata", "America/New_York", "Pacific/Chatham"];
const LEADS = ["maya", "sam", "lee", "ana", "kofi"];

async function runSequence(random: RandomSource, steps: number) {
  let now = new Date("2026-03-28T20:00:00.000Z"); // across the Europe/US DST weekend
  let mid = 0;
  let key = 0;
  const tick = () => {
    now = new Date(now.getTime() + randomIntInclusive(random, 1, 240) * 60_000 + randomIntInclusive(random, 0, 999));
    return now;
  };
  const pick = <T>(items: readonly T[]): T => items[randomIntInclusive(random, 0, items.length - 1)]!;
  const leadIds = async (userId: string) => (await admin<{ id: string; channel: string }>("SELECT id, channel FROM leads WHERE user_id = $1 ORDER BY id", [userId]));
  const pending = new Map<string, { userId: string; leadId: string }>();

  for (let index = 0; index < steps; index += 1) {
    const at = tick();
    const userId = random() < 0.8 ? owner : other;
    const roll = random();
    if (roll < 0.3) {
      // A lead writes (sometimes stamped before our last message: platforms deliver late), or an echo.
      const instagram = userId === owner && random() < 0.5;
      const sentAt = random() < 0.2 ? new Date(at.getTime() - randomIntInclusive(random, 1, 180) * 60_000) : at;
      const who = pick(LEADS);
      const echo = random() < 0.15;
      const event: InboundEvent = echo
        ? {
            kind: "echo",
            accountId: instagram ? IG_ACCOUNT : userId,
            providerMessageId: `mid.${++mid}`,
            recipientExternalId: instagram ? `igsid-${who}` : `sandbox:${who}`,
            text: "Sent from the phone app",
            attachments: [],
            sentAt,
          }
        : {
            kind: "message",
            accountId: instagram ? IG_ACCOUNT : userId,
            providerMessageId: `mid.${++mid}`,
            sender: { externalId: instagram ? `igsid-${who}` : `sandbox:${who}`, name: who, email: null, phone: null },
            text: "Hi! How much is it?",
            attachments: [],
            sentAt,
            thread: null,
            optOut: random() < 0.05,
          };
      const group: DeliveryGroup = { accountId: event.accountId, rawEntries: [{ n: mid }], events: [event] };
      await captureDelivery(t.db, {
        delivery: { channel: instagram ? "instagram" : "sandbox", groups: [group], rejected: [] },
        deliveryId: `delivery-${mid}`,
        receivedAt: at,
      });
      continue;
    }
    const leads = await leadIds(userId);
    if (!leads.length) continue;
    const lead = pick(leads);
    if (roll < 0.6) {
      // The AI (a reply or follow-up step 1-3) or the owner sends; the vendor's answer varies.
      const ai = random() < 0.8;
      const author = ai ? ({ author: "ai", followUpStep: random() < 0.4 ? null : randomIntInclusive(random, 1, 3) } as const) : ({ author: "owner" } as const);
      const begun = await beginSend(t.db, {
        userId,
        leadId: lead.id,
        idempotencyKey: `send:${++key}`,
        channel: lead.channel as "instagram" | "sandbox",
        body: "Hi there!",
        ...author,
        now: at,
      });
      const outcome = random();
      const base = { userId, leadId: lead.id, messageId: begun.messageId, next: null, answeredUpTo: null, now: at };
      if (outcome < 0.55) await completeSend(t.db, { ...base, providerMessageId: `out.${key}`, delivery: { status: "sent" } });
      else if (outcome < 0.65) await completeSend(t.db, { ...base, providerMessageId: null, delivery: { status: "unconfirmed", reason: "no answer in time" } });
      else if (outcome < 0.75) await failSend(t.db, { ...base, reason: "refused" });
      else if (outcome < 0.85) await releaseSend(t.db, { userId, leadId: lead.id, messageId: begun.messageId, now: at });
      else pending.set(begun.messageId, { userId, leadId: lead.id });
    } else if (roll < 0.68) {
      // A vendor status later says a sent message failed (or was read).
      const status = random() < 0.5 ? "failed" : "read";
      await t.db.asUser(userId, (tx) =>
        tx.message.updateMany({ where: { leadId: lead.id, direction: "outbound", deliveryStatus: "sent" }, data: { deliveryStatus: status } }),
      );
    } else if (roll < 0.8) {
      // Mark as converted (with or without a value), or undo it.
      const converted = random() < 0.7;
      const value = converted && random() < 0.6 ? { conversionValueMinor: BigInt(randomIntInclusive(random, 100, 99_999)), conversionCurrency: pick(["EUR", "USD", "INR"]) } : { conversionValueMinor: null, conversionCurrency: null };
      await t.db.asUser(userId, (tx) =>
        tx.lead.update({ where: { id: lead.id }, data: { convertedAt: converted ? at : null, ...value, status: converted ? "converted" : "replied" } }),
      );
    } else if (roll < 0.88) {
      await recordOptOut(t.db, { userId, leadId: lead.id, source: "owner", now: at });
    } else if (roll < 0.93) {
      // The owner moves: every day regroups in the new zone.
      const timezone = pick(ZONES);
      await t.db.asUser(userId, (tx) => tx.brandSettings.upsert({ where: { userId }, create: { userId, timezone }, update: { timezone } }));
    } else if (pending.size) {
      // A pending send settles late.
      const [messageId, ref] = [...pending.entries()][0]!;
      pending.delete(messageId);
      await completeSend(t.db, { ...ref, messageId, providerMessageId: null, delivery: { status: "unconfirmed", reason: "worker restarted" }, next: null, answeredUpTo: null, now: at });
    }
  }
}

describe("analytics rollups", () => {
  it.each([1, 2, 3])("equal a recount from the raw tables after a random sequence of writes (seed %i)", { timeout: 120_000 }, async (seed) => {
    await runSequence(createSeededRandom(seed), 140);
    for (const userId of [owner, other]) {
      const expected = await recount(userId);
      expect(await stored(userId)).toEqual(expected);
    }
    // The sequence reached the counters that depend on order, not only the simple ones.
    const owners = await recount(owner);
    expect(Object.values(owners.daily).some((row) => (row.ai_answered ?? 0) > 0)).toBe(true);
    expect(Object.keys(owners.responses).length).toBeGreaterThan(0);
    // The rebuild gives the same rows, again and again.
    await rebuildAnalyticsRollups(t.db);
    await rebuildAnalyticsRollups(t.db, { userId: owner });
    for (const userId of [owner, other]) expect(await stored(userId)).toEqual(await recount(userId));
  });

  it("rebuilds rows written by hand-imported SQL with the triggers off (pnpm analytics:rebuild --owner)", { timeout: 120_000 }, async () => {
    await runSequence(createSeededRandom(7), 60);
    const expected = await recount(owner);
    // As after an import with the triggers off (replica mode fires no triggers): raw rows only.
    await admin(`SET session_replication_role = replica;
                 DELETE FROM analytics_daily; DELETE FROM analytics_first_responses; DELETE FROM analytics_conversion_values;
                 UPDATE messages SET lead_replied_at = NULL; UPDATE leads SET first_inbound_at = NULL, first_response_at = NULL;`);
    expect((await stored(owner)).daily).toEqual({});
    const tsxCli = path.join(path.dirname(createRequire(path.join(repoRoot, "package.json")).resolve("tsx/package.json")), "dist/cli.mjs");
    const { stdout } = await promisify(execFile)(process.execPath, [tsxCli, "scripts/analytics-rebuild.ts", "--owner", owner], {
      cwd: repoRoot,
      env: { ...process.env, DATABASE_URL: t.appUrl },
    });
    expect(stdout).toMatch(/^rebuilt the analytics of 1 owner \(\d+ days? with activity\) in \d+ ms$/m);
    expect(await stored(owner)).toEqual(expected);
  });

  it("reads an owner's local days: a Kathmandu (+05:45) evening message lands on the next day there", async () => {
    await t.db.asUser(owner, (tx) => tx.brandSettings.create({ data: { userId: owner, timezone: "Asia/Kathmandu" } }));
    const sentAt = new Date("2026-05-10T18:20:00.000Z"); // 00:05 on 11 May in Kathmandu
    await captureDelivery(t.db, {
      delivery: {
        channel: "sandbox",
        groups: [
          {
            accountId: owner,
            rawEntries: [{}],
            events: [
              {
                kind: "message",
                accountId: owner,
                providerMessageId: "ktm.1",
                sender: { externalId: "sandbox:ktm", name: "Asha", email: null, phone: null },
                text: "Namaste!",
                attachments: [],
                sentAt,
                thread: null,
                optOut: false,
              },
            ],
          },
        ],
        rejected: [],
      },
      deliveryId: "ktm",
      receivedAt: sentAt,
    });
    const lead = await t.db.asUser(owner, (tx) => tx.lead.findFirstOrThrow());
    const reply = await beginSend(t.db, { userId: owner, leadId: lead.id, idempotencyKey: "reply:ktm", channel: "sandbox", body: "Hi Asha!", author: "ai", followUpStep: null, now: new Date(sentAt.getTime() + 600_000) });
    await completeSend(t.db, { userId: owner, leadId: lead.id, messageId: reply.messageId, providerMessageId: "out.ktm", delivery: { status: "sent" }, next: null, answeredUpTo: sentAt, now: sentAt });

    const { timeZone, figures } = await readAnalyticsRollups(t.db, owner, { from: "2026-05-11", to: "2026-05-11" });
    expect(timeZone).toBe("Asia/Kathmandu");
    const day = figures.days.find((row) => row.date === "2026-05-11");
    expect(day).toMatchObject({ channel: "sandbox", messagesIn: 1, messagesOut: 1, aiReplies: 1 });
    // 10 minutes to the first answer: the "within 10 min" bucket.
    expect(day?.firstResponses[firstResponseBucket(600)]).toBe(1);
    expect(figures.steps).toEqual([{ step: 0, sent: 1, answered: 0 }]);
    expect((await readAnalyticsRollups(t.db, owner, { from: "2026-05-10", to: "2026-05-10" })).figures.days.filter((row) => row.messagesIn > 0)).toEqual([]);
    // Another owner reads nothing of it.
    expect((await readAnalyticsRollups(t.db, other, { from: "2026-05-01", to: "2026-05-31" })).figures).toEqual({ days: [], steps: [], conversionValues: [] });
  });

  it("keep each owner's rows to that owner, against hand-written SQL", async () => {
    await runSequence(createSeededRandom(11), 20);
    expect(await admin("SELECT 1 FROM analytics_daily WHERE user_id = $1", [owner])).not.toEqual([]);
    for (const table of ["analytics_daily", "analytics_first_responses", "analytics_conversion_values"]) {
      const seen = await t.db.asUser(other, (tx) => tx.$queryRawUnsafe<unknown[]>(`SELECT * FROM ${table} WHERE user_id = $1::uuid`, owner));
      expect(seen).toEqual([]);
    }
    await expect(
      t.db.asUser(other, (tx) => tx.$executeRaw`INSERT INTO analytics_daily (user_id, day, channel, follow_up_step, conversions)
                                               VALUES (${owner}::uuid, '2026-04-01', 'sandbox', 0, 1000)`),
    ).rejects.toThrow(/row-level security/);
  });

  it("bucket the first response with core's bounds (the SQL holds a copy: this fails on drift)", async () => {
    const [row] = await admin<{ bounds: number[] }>("SELECT app_analytics_first_response_bounds() AS bounds");
    expect(row?.bounds).toEqual([...FIRST_RESPONSE_BUCKET_BOUNDS_SECONDS]);
    const probes = [0, 59.5, 60, 60.001, 899, 86_400, 86_401, 1e7];
    const buckets = await admin<{ bucket: number }>("SELECT app_analytics_first_response_bucket(s) AS bucket FROM unnest($1::numeric[]) AS s", [probes]);
    expect(buckets.map((b) => b.bucket)).toEqual(probes.map(firstResponseBucket));
  });
});

describe("the lead list's first page", () => {
  it("walks the list index instead of sorting every lead of the owner", async () => {
    await admin(
      `INSERT INTO leads (user_id, external_id, channel, last_message_at)
       SELECT $1, 'bulk-' || i, 'sandbox', CASE WHEN i % 10 = 0 THEN NULL ELSE now() - i * interval '1 minute' END
         FROM generate_series(1, 3000) AS i`,
      [owner],
    );
    await admin("ANALYZE leads");
    // The handler's query (packages/api/src/routers/leads/list.handler.ts) as Prisma sends it.
    const plan = await admin<{ "QUERY PLAN": string }>(
      `EXPLAIN SELECT id FROM leads WHERE user_id = $1
        ORDER BY last_message_at DESC NULLS LAST, created_at DESC, id DESC LIMIT 51`,
      [owner],
    );
    const text = plan.map((line) => line["QUERY PLAN"]).join("\n");
    expect(text).toContain("leads_user_id_last_message_at_list_idx");
    expect(text).not.toMatch(/Sort/);
  });
});

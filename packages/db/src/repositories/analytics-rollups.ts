import {
  ANALYTICS_CHANNELS,
  FIRST_RESPONSE_BUCKET_COUNT,
  localDateSchema,
  type DayChannelFigures,
  type LocalDate,
  type PeriodFigures,
} from "@audnix/core";
import { z } from "zod";
import type { Db } from "../client.ts";
import { inPoolTransaction } from "../pool-transaction.ts";

// The analytics rollups (migration analytics_rollups, docs/decisions/0030): per owner, local day
// (brand_settings.timezone), channel and follow-up step, kept exact by triggers in the transactions
// that write messages and leads. Reading a period costs its days, never its messages.

const count = z.coerce.number().int();
const channel = z.enum(ANALYTICS_CHANNELS);

const dayRowSchema = z.object({
  date: localDateSchema,
  channel,
  newLeads: count,
  messagesIn: count,
  messagesOut: count,
  aiReplies: count,
  aiFollowUps: count,
  conversions: count,
  optOuts: count,
  deliveryProblems: count,
});
const responseRowSchema = z.object({ date: localDateSchema, channel, bucket: count.min(0).max(FIRST_RESPONSE_BUCKET_COUNT - 1), leads: count });
const stepRowSchema = z.object({ step: count.min(0), sent: count, answered: count });
const valueRowSchema = z.object({ currency: z.string().regex(/^[A-Z]{3}$/), valueMinor: count });
const zoneRowSchema = z.object({ timeZone: z.string() });

export interface AnalyticsRollups {
  /** The zone the days are in (the owner's brand_settings.timezone, UTC without settings). */
  timeZone: string;
  figures: PeriodFigures;
}

/** One owner's rollups over local days `from`..`to` (inclusive, "YYYY-MM-DD"). */
export function readAnalyticsRollups(db: Db, userId: string, range: { from: LocalDate; to: LocalDate }): Promise<AnalyticsRollups> {
  const { from, to } = z.object({ from: localDateSchema, to: localDateSchema }).parse(range);
  return db.asUser(userId, async (tx) => {
    const [zoneRows, dayRows, responseRows, stepRows, valueRows] = await Promise.all([
      tx.$queryRaw`SELECT coalesce((SELECT timezone FROM brand_settings WHERE user_id = ${userId}::uuid), 'UTC') AS "timeZone"`,
      tx.$queryRaw`
        SELECT to_char(day, 'YYYY-MM-DD') AS date, channel::text AS channel,
               sum(leads_new) AS "newLeads", sum(messages_in) AS "messagesIn",
               sum(ai_replies + ai_follow_ups + owner_messages + business_app_messages) AS "messagesOut",
               sum(ai_replies) AS "aiReplies", sum(ai_follow_ups) AS "aiFollowUps", sum(conversions) AS conversions,
               sum(opt_outs) AS "optOuts", sum(sends_failed + sends_unconfirmed) AS "deliveryProblems"
          FROM analytics_daily
         WHERE user_id = ${userId}::uuid AND day BETWEEN ${from}::date AND ${to}::date
         GROUP BY day, channel ORDER BY day, channel`,
      tx.$queryRaw`
        SELECT to_char(day, 'YYYY-MM-DD') AS date, channel::text AS channel, bucket, leads
          FROM analytics_first_responses
         WHERE user_id = ${userId}::uuid AND day BETWEEN ${from}::date AND ${to}::date AND leads <> 0`,
      tx.$queryRaw`
        SELECT follow_up_step AS step, sum(ai_replies + ai_follow_ups) AS sent, sum(ai_answered) AS answered
          FROM analytics_daily
         WHERE user_id = ${userId}::uuid AND day BETWEEN ${from}::date AND ${to}::date
         GROUP BY follow_up_step HAVING sum(ai_replies + ai_follow_ups) <> 0 ORDER BY follow_up_step`,
      tx.$queryRaw`
        SELECT currency, sum(value_minor) AS "valueMinor"
          FROM analytics_conversion_values
         WHERE user_id = ${userId}::uuid AND day BETWEEN ${from}::date AND ${to}::date
         GROUP BY currency HAVING sum(conversions) <> 0 ORDER BY currency`,
    ]);
    const timeZone = z.array(zoneRowSchema).length(1).parse(zoneRows)[0]!.timeZone;
    return {
      timeZone,
      figures: {
        days: withFirstResponses(z.array(dayRowSchema).parse(dayRows), z.array(responseRowSchema).parse(responseRows)),
        steps: z.array(stepRowSchema).parse(stepRows),
        conversionValues: z.array(valueRowSchema).parse(valueRows),
      },
    };
  });
}

type DayRow = z.output<typeof dayRowSchema>;

/** Day rows with their first-response histograms (a day with responses but no counts still shows). */
function withFirstResponses(days: DayRow[], responses: z.output<typeof responseRowSchema>[]): DayChannelFigures[] {
  const key = (row: { date: string; channel: string }) => `${row.date}|${row.channel}`;
  const byKey = new Map<string, DayChannelFigures & { firstResponses: number[] }>(
    days.map((row) => [key(row), { ...row, firstResponses: new Array<number>(FIRST_RESPONSE_BUCKET_COUNT).fill(0) }]),
  );
  for (const response of responses) {
    let day = byKey.get(key(response));
    if (!day) {
      const empty = { newLeads: 0, messagesIn: 0, messagesOut: 0, aiReplies: 0, aiFollowUps: 0, conversions: 0, optOuts: 0, deliveryProblems: 0 };
      day = { date: response.date, channel: response.channel, ...empty, firstResponses: new Array<number>(FIRST_RESPONSE_BUCKET_COUNT).fill(0) };
      byKey.set(key(response), day);
    }
    day.firstResponses[response.bucket] = (day.firstResponses[response.bucket] ?? 0) + response.leads;
  }
  return [...byKey.values()].sort((a, b) => key(a).localeCompare(key(b)));
}

const rebuiltSchema = z.object({ userId: z.string(), days: count });

/**
 * Recomputes the rollups (and the columns they derive from) of one owner, or of every owner, from
 * the raw tables: for data imported by SQL or after a fix. One transaction per owner; idempotent.
 */
export async function rebuildAnalyticsRollups(db: Db, input: { userId?: string } = {}): Promise<{ userId: string; days: number }[]> {
  const owners = input.userId
    ? [input.userId]
    : (await db.asSystem((tx) => tx.user.findMany({ select: { id: true }, orderBy: { id: "asc" } }))).map((user) => user.id);
  const rebuilt: { userId: string; days: number }[] = [];
  for (const userId of owners) rebuilt.push(await rebuildOwner(db, userId));
  return rebuilt;
}

/** One owner's rebuild in its own transaction on a pool client: it can outlast an ORM transaction's timeout. */
async function rebuildOwner(db: Db, userId: string): Promise<{ userId: string; days: number }> {
  const result = await inPoolTransaction(db, async (client) => {
    // The owner's tenant, as db.asUser sets it: row-level security applies to the rebuild too.
    await client.query("SELECT set_config('app.user_id', $1, true)", [userId]);
    const { rows } = await client.query<{ result: unknown }>("SELECT app_analytics_rebuild($1::uuid) AS result", [userId]);
    return rows[0]?.result;
  });
  return rebuiltSchema.parse(result);
}

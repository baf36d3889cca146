import { readSummaryContent, SUMMARY_LIMITS, SUMMARY_NOW_TASK, summaryNowJobKey, type PlatformMailOutcome, type SummaryContent, type SummaryKind } from "@audnix/core";
import { Prisma } from "../generated/prisma/client.ts";
import type { SummaryStatus } from "../generated/prisma/enums.ts";
import type { Db } from "../client.ts";

// weekly_summaries (docs/decisions/0032): a row per owner, kind and week (the unique key is what
// makes the Monday summary exactly once across workers and retries), and its email sent the way
// follow-ups are (decision 0011): claim (status sending), send, settle. A row found still
// "sending" by a later attempt was cut off mid-send: it becomes unconfirmed, never resent.

export interface SummaryRow {
  id: string;
  userId: string;
  kind: SummaryKind;
  /** "YYYY-MM-DD" (a Monday). */
  weekStart: string;
  periodEnd: Date;
  revision: number;
  /** null while being made, or when the stored document is not one this code can read. */
  content: SummaryContent | null;
  status: SummaryStatus;
  sentAt: Date | null;
  failureReason: string | null;
  createdAt: Date;
}

const summarySelect = {
  id: true,
  userId: true,
  kind: true,
  weekStart: true,
  periodEnd: true,
  revision: true,
  content: true,
  status: true,
  sentAt: true,
  failureReason: true,
  createdAt: true,
} as const;

type SelectedSummary = Prisma.WeeklySummaryGetPayload<{ select: typeof summarySelect }>;

function toRow(row: SelectedSummary): SummaryRow {
  return { ...row, weekStart: row.weekStart.toISOString().slice(0, 10), content: row.content === null ? null : readSummaryContent(row.content) };
}

const dateOf = (weekStart: string) => new Date(`${weekStart}T00:00:00Z`);

export interface WeeklySummaryOwner {
  userId: string;
  timeZone: string | null;
  createdAt: Date;
  /** The Monday of the owner's latest weekly summary ("YYYY-MM-DD"), null before the first. */
  latestWeekStart: string | null;
}

/**
 * A page of owners with weekly summaries on (brand_settings.weekly_summary_enabled; no settings
 * yet = on), by id after `afterUserId`, each with their latest weekly summary's week: the
 * scheduler decides with core's latestDueWeek/weeklySummaryOwed which are owed one (the rule
 * lives there, not in SQL).
 */
export function listWeeklySummaryOwners(db: Db, input: { afterUserId: string | null; limit: number }): Promise<WeeklySummaryOwner[]> {
  return db.asSystem(async (tx) => {
    const rows = await tx.$queryRaw<Array<{ userId: string; timeZone: string | null; createdAt: Date; latestWeekStart: string | null }>>`
      SELECT u.id AS "userId", b.timezone AS "timeZone", u.created_at AS "createdAt",
             (SELECT to_char(max(s.week_start), 'YYYY-MM-DD') FROM weekly_summaries s WHERE s.user_id = u.id AND s.kind = 'weekly') AS "latestWeekStart"
        FROM users u
        LEFT JOIN brand_settings b ON b.user_id = u.id
       WHERE coalesce(b.weekly_summary_enabled, true)
         AND (${input.afterUserId}::uuid IS NULL OR u.id > ${input.afterUserId}::uuid)
       ORDER BY u.id
       LIMIT ${input.limit}`;
    return rows;
  });
}

export interface SummaryOwnerDetails {
  email: string;
  brandName: string | null;
  timeZone: string | null;
  weeklySummaryEnabled: boolean;
}

export function loadSummaryOwner(db: Db, userId: string): Promise<SummaryOwnerDetails | null> {
  return db.asUser(userId, async (tx) => {
    const user = await tx.user.findUnique({
      where: { id: userId },
      select: { email: true, brandSettings: { select: { brandName: true, timezone: true, weeklySummaryEnabled: true } } },
    });
    if (!user) return null;
    return {
      email: user.email,
      brandName: user.brandSettings?.brandName ?? null,
      timeZone: user.brandSettings?.timezone ?? null,
      weeklySummaryEnabled: user.brandSettings?.weeklySummaryEnabled ?? true,
    };
  });
}

export interface SummaryHighlightRows {
  /** Inbound message texts of the period, newest first, each cut to SUMMARY_LIMITS.messageChars. */
  inboundTexts: string[];
  leadsNeedingOwner: { total: number; leads: Array<{ leadId: string; name: string }> };
}

/** What the highlights are made from: the period's inbound messages and the leads flagged "Needs you" now. */
export function loadSummaryHighlightRows(db: Db, userId: string, period: { start: Date; end: Date }): Promise<SummaryHighlightRows> {
  return db.asUser(userId, async (tx) => {
    const [texts, total, flagged] = await Promise.all([
      // Cut in SQL: a 20,000-character message costs 500 characters here.
      tx.$queryRaw<Array<{ text: string }>>`
        SELECT left(body, ${SUMMARY_LIMITS.messageChars}) AS text
          FROM messages
         WHERE user_id = ${userId}::uuid AND direction = 'inbound' AND sent_at >= ${period.start} AND sent_at < ${period.end}
         ORDER BY sent_at DESC
         LIMIT ${SUMMARY_LIMITS.messagesRead}`,
      tx.lead.count({ where: { needsOwnerAt: { not: null } } }),
      tx.lead.findMany({
        where: { needsOwnerAt: { not: null } },
        select: { id: true, name: true },
        orderBy: { needsOwnerAt: "asc" },
        take: SUMMARY_LIMITS.leadsNeedingOwner,
      }),
    ]);
    return {
      inboundTexts: texts.map((row) => row.text),
      leadsNeedingOwner: { total, leads: flagged.map((lead) => ({ leadId: lead.id, name: (lead.name ?? "A lead without a name").slice(0, 200) })) },
    };
  });
}

/**
 * The weekly summary of `weekStart`, made now or by whoever made it first: two workers or a retry
 * insert the same key, one row wins, every caller gets that row.
 */
export function insertWeeklySummary(db: Db, input: { userId: string; weekStart: string; periodEnd: Date; content: SummaryContent }): Promise<SummaryRow> {
  return db.asUser(input.userId, async (tx) => {
    await tx.$executeRaw`
      INSERT INTO weekly_summaries (user_id, kind, week_start, period_end, content)
      VALUES (${input.userId}::uuid, 'weekly', ${input.weekStart}::date, ${input.periodEnd}, ${JSON.stringify(input.content)}::jsonb)
      ON CONFLICT (user_id, kind, week_start) DO NOTHING`;
    const row = await tx.weeklySummary.findUniqueOrThrow({
      where: { userId_kind_weekStart: { userId: input.userId, kind: "weekly", weekStart: dateOf(input.weekStart) } },
      select: summarySelect,
    });
    return toRow(row);
  });
}

/** The weekly summary of `weekStart`, if one was made (a retry or a second worker then makes none). */
export function findWeeklySummary(db: Db, input: { userId: string; weekStart: string }): Promise<SummaryRow | null> {
  return db.asUser(input.userId, async (tx) => {
    const row = await tx.weeklySummary.findUnique({
      where: { userId_kind_weekStart: { userId: input.userId, kind: "weekly", weekStart: dateOf(input.weekStart) } },
      select: summarySelect,
    });
    return row ? toRow(row) : null;
  });
}

export type WeekToDateRequest = { ok: true; id: string; revision: number } | { ok: false; reason: "in_progress" };

/**
 * "Send me this week's summary now": this week's week_to_date row, made again (content cleared,
 * revision + 1, period up to `now`) unless one is still being made or emailed.
 */
export function requestWeekToDateSummary(db: Db, input: { userId: string; weekStart: string; now: Date }): Promise<WeekToDateRequest> {
  return db.asUser(input.userId, async (tx) => {
    const rows = await tx.$queryRaw<Array<{ id: string; revision: number }>>`
      INSERT INTO weekly_summaries (user_id, kind, week_start, period_end)
      VALUES (${input.userId}::uuid, 'week_to_date', ${input.weekStart}::date, ${input.now})
      ON CONFLICT (user_id, kind, week_start) DO UPDATE
         SET revision = weekly_summaries.revision + 1, period_end = EXCLUDED.period_end, content = NULL,
             status = 'pending', sent_at = NULL, email_message_id = NULL, failure_reason = NULL, updated_at = now()
       WHERE weekly_summaries.status NOT IN ('pending', 'sending')
      RETURNING id, revision`;
    const row = rows[0];
    if (!row) return { ok: false, reason: "in_progress" };
    // In the same transaction: the job exists exactly when the request was recorded.
    await tx.$executeRaw`SELECT graphile_worker.add_job(
      ${SUMMARY_NOW_TASK}, ${JSON.stringify({ userId: input.userId, summaryId: row.id, revision: row.revision })}::json,
      job_key := ${summaryNowJobKey(row.id, row.revision)})`;
    return { ok: true, id: row.id, revision: row.revision };
  });
}

export function loadSummary(db: Db, userId: string, id: string): Promise<SummaryRow | null> {
  return db.asUser(userId, async (tx) => {
    const row = await tx.weeklySummary.findUnique({ where: { id }, select: summarySelect });
    return row ? toRow(row) : null;
  });
}

/** The owner's summaries, newest week first (weekly before week-to-date in the same week). */
export function listSummaries(db: Db, userId: string, limit = 52): Promise<SummaryRow[]> {
  return db.asUser(userId, async (tx) => {
    const rows = await tx.weeklySummary.findMany({ select: summarySelect, orderBy: [{ weekStart: "desc" }, { kind: "asc" }], take: limit });
    return rows.map(toRow);
  });
}

/** Stores a week-to-date summary's document, if that revision is still the one waiting. */
export function saveSummaryContent(db: Db, input: { userId: string; id: string; revision: number; content: SummaryContent }): Promise<boolean> {
  return db.asUser(input.userId, async (tx) => {
    const { count } = await tx.weeklySummary.updateMany({
      where: { id: input.id, revision: input.revision, status: "pending", content: { equals: Prisma.DbNull } },
      data: { content: input.content },
    });
    return count === 1;
  });
}

export type SummaryClaim = { claimed: true } | { claimed: false; status: SummaryStatus | "gone" };

/**
 * Takes the right to email this revision (pending -> sending). A row already "sending" was
 * claimed by an attempt that never settled (a crash, a kill): it may have been emailed, so it
 * becomes unconfirmed and is not claimed again.
 */
export function claimSummaryEmail(db: Db, input: { userId: string; id: string; revision: number }): Promise<SummaryClaim> {
  return db.asUser(input.userId, async (tx) => {
    const claimed = await tx.weeklySummary.updateMany({
      where: { id: input.id, revision: input.revision, status: "pending", NOT: { content: { equals: Prisma.DbNull } } },
      data: { status: "sending" },
    });
    if (claimed.count === 1) return { claimed: true };
    await tx.weeklySummary.updateMany({
      where: { id: input.id, revision: input.revision, status: "sending" },
      data: { status: "unconfirmed", failureReason: "the worker stopped while emailing this summary; it may have arrived" },
    });
    const row = await tx.weeklySummary.findUnique({ where: { id: input.id }, select: { status: true, revision: true } });
    return { claimed: false, status: row && row.revision === input.revision ? row.status : "gone" };
  });
}

/** Records what the SMTP server said. A retry outcome puts the row back to pending (the job retries). */
export function settleSummaryEmail(db: Db, input: { userId: string; id: string; revision: number; outcome: PlatformMailOutcome; now: Date }): Promise<void> {
  const { outcome } = input;
  const data: Prisma.WeeklySummaryUpdateManyMutationInput =
    outcome.status === "sent"
      ? { status: "sent", sentAt: input.now, emailMessageId: outcome.messageId, failureReason: null }
      : outcome.status === "retry"
        ? { status: "pending", failureReason: outcome.reason }
        : { status: outcome.status === "permanent" ? "failed" : "unconfirmed", failureReason: outcome.reason };
  return db.asUser(input.userId, async (tx) => {
    // "unconfirmed" too: a second attempt may have called a slow send unconfirmed before it settled.
    await tx.weeklySummary.updateMany({ where: { id: input.id, revision: input.revision, status: { in: ["sending", "unconfirmed"] } }, data });
  });
}

/** No platform mailer configured: the summary is stored and readable, not emailed. */
export function markSummaryNotEmailed(db: Db, input: { userId: string; id: string; revision: number }): Promise<void> {
  return db.asUser(input.userId, async (tx) => {
    await tx.weeklySummary.updateMany({ where: { id: input.id, revision: input.revision, status: "pending" }, data: { status: "not_emailed" } });
  });
}

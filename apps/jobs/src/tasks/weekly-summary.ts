import {
  daysBetween,
  latestDueWeek,
  localDateOf,
  resolveTimeZone,
  summaryNowPayloadSchema,
  summaryWeek,
  WEEKLY_SUMMARY_TASK,
  weeklySummaryJobKey,
  weeklySummaryOwed,
  weeklySummaryPayloadSchema,
} from "@audnix/core";
import { findWeeklySummary, insertWeeklySummary, listWeeklySummaryOwners, loadSummary, loadSummaryOwner, saveSummaryContent } from "@audnix/db";
import { z } from "zod";
import { emailSummary } from "../summaries/email-summary.ts";
import { makeSummaryContent } from "../summaries/make-summary.ts";
import { defineTask, type TaskRun } from "./define-task.ts";

const OWNERS_PER_PAGE = 500;

const schedulePayloadSchema = z.object({ _cron: z.object({ ts: z.string(), backfilled: z.boolean() }).optional() });

/**
 * Cron: every owner whose Monday 08:00 (their zone) has passed without last week's summary gets
 * one summary:weekly job, keyed per owner and week, so crons on two workers queue one.
 */
export const scheduleWeeklySummariesTask = defineTask(schedulePayloadSchema, async (_payload, { deps, logger, helpers }) => {
  const now = deps.now();
  let after: string | null = null;
  let queued = 0;
  for (;;) {
    const owners = await listWeeklySummaryOwners(deps.db, { afterUserId: after, limit: OWNERS_PER_PAGE });
    for (const owner of owners) {
      const week = latestDueWeek(now, resolveTimeZone(null, owner.timeZone));
      if (owner.latestWeekStart !== null && owner.latestWeekStart >= week.weekStart) continue;
      if (!weeklySummaryOwed(week, { now, accountCreatedAt: owner.createdAt })) continue;
      await helpers.addJob(WEEKLY_SUMMARY_TASK, { userId: owner.userId, weekStart: week.weekStart }, { jobKey: weeklySummaryJobKey(owner.userId, week.weekStart) });
      queued += 1;
    }
    if (owners.length < OWNERS_PER_PAGE) break;
    after = owners.at(-1)?.userId ?? null;
  }
  logger.info("weekly summaries queued", { count: queued });
});

/** The Monday summary of one owner's week: made once (the row's unique key), emailed once. */
export const weeklySummaryTask = defineTask(weeklySummaryPayloadSchema, async ({ userId, weekStart }, run) => {
  const { deps, logger } = run;
  const owner = await loadSummaryOwner(deps.db, userId);
  if (owner === null || !owner.weeklySummaryEnabled) {
    logger.info("weekly summary skipped: the owner is gone or turned weekly summaries off");
    return;
  }
  // A retry or a second worker finds the row made: it is only emailed (if still pending), never made again.
  const made = await findWeeklySummary(deps.db, { userId, weekStart });
  if (made !== null && made.content !== null) return deliver(run, made, owner.email);
  const timeZone = resolveTimeZone(null, owner.timeZone);
  const week = summaryWeek(weekStart, timeZone);
  const now = deps.now();
  const content = await makeSummaryContent(deps.db, {
    userId,
    owner,
    period: { kind: "weekly", from: week.weekStart, to: week.weekEnd, dayCount: 7, timeZone, start: week.start, end: week.end },
    now,
    generator: deps.followUpServices.generator,
  });
  const row = await insertWeeklySummary(deps.db, { userId, weekStart, periodEnd: week.end, content });
  await deliver(run, row, owner.email);
});

/** "Send me this week's summary now": the week so far, made for this request's revision and emailed once. */
export const summaryNowTask = defineTask(summaryNowPayloadSchema, async ({ userId, summaryId, revision }, run) => {
  const { deps, logger } = run;
  const [owner, row] = await Promise.all([loadSummaryOwner(deps.db, userId), loadSummary(deps.db, userId, summaryId)]);
  if (owner === null || row === null || row.revision !== revision) {
    logger.info("summary request superseded or gone", { summaryId, revision });
    return;
  }
  let ready = row;
  if (row.content === null) {
    const timeZone = resolveTimeZone(null, owner.timeZone);
    const week = summaryWeek(row.weekStart, timeZone);
    const to = localDateOf(new Date(row.periodEnd.getTime() - 1), timeZone);
    const content = await makeSummaryContent(deps.db, {
      userId,
      owner,
      period: { kind: "week_to_date", from: week.weekStart, to, dayCount: daysBetween(week.weekStart, to) + 1, timeZone, start: week.start, end: row.periodEnd },
      now: deps.now(),
      generator: deps.followUpServices.generator,
    });
    if (!(await saveSummaryContent(deps.db, { userId, id: summaryId, revision, content }))) {
      logger.info("summary request superseded while it was made", { summaryId, revision });
      return;
    }
    ready = { ...row, content };
  }
  await deliver(run, ready, owner.email);
});

function deliver({ deps, logger }: TaskRun, row: Parameters<typeof emailSummary>[1]["row"], to: string): Promise<void> {
  return emailSummary(deps.db, { row, to, appUrl: deps.followUpServices.appUrl, mailer: deps.platformMailer ?? null, now: deps.now, logger });
}

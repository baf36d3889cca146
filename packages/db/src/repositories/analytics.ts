import {
  buildOverview,
  buildSeries,
  previousPeriod,
  resolveAnalyticsPeriod,
  type AnalyticsOverview,
  type AnalyticsPeriod,
  type AnalyticsRange,
  type AnalyticsSeries,
} from "@audnix/core";
import type { Db } from "../client.ts";
import { readAnalyticsRollups } from "./analytics-rollups.ts";
import { ownerTimeZone } from "./owner-time-zone.ts";

/** A custom range the owner cannot be shown (out of order, in the future, too long); the message says why. */
export class AnalyticsRangeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AnalyticsRangeError";
  }
}

/** The period `range` names today in the owner's zone. */
async function periodFor(db: Db, userId: string, range: AnalyticsRange, now: Date): Promise<AnalyticsPeriod> {
  const timeZone = await db.asUser(userId, (tx) => ownerTimeZone(tx, userId));
  const resolved = resolveAnalyticsPeriod(range, { now, timeZone });
  if (!resolved.ok) throw new AnalyticsRangeError(resolved.problem);
  return resolved.period;
}

async function figuresOf(db: Db, userId: string, period: AnalyticsPeriod) {
  return (await readAnalyticsRollups(db, userId, { from: period.from, to: period.to })).figures;
}

/**
 * The dashboard's tiles for `range`, each beside the previous period's figure: rollups only (a
 * period costs its days, never its messages), plus the leads waiting for the owner now. The weekly
 * summary reads its numbers here too, so the email and the dashboard agree.
 */
export async function loadAnalyticsOverview(db: Db, userId: string, range: AnalyticsRange, { now }: { now: Date }): Promise<AnalyticsOverview> {
  const period = await periodFor(db, userId, range, now);
  const before = previousPeriod(period);
  const [current, previous, waitingForOwner] = await Promise.all([
    figuresOf(db, userId, period),
    figuresOf(db, userId, before),
    // The (user_id, needs_owner_at) index answers this.
    db.asUser(userId, (tx) => tx.lead.count({ where: { userId, needsOwnerAt: { not: null } } })),
  ]);
  return buildOverview({ period, previousPeriod: before, current, previous, waitingForOwner });
}

/** The dashboard's charts for `range`: one point per day of the owner's zone, and the reply rate per step. */
export async function loadAnalyticsSeries(db: Db, userId: string, range: AnalyticsRange, { now }: { now: Date }): Promise<AnalyticsSeries> {
  const period = await periodFor(db, userId, range, now);
  return buildSeries(period, await figuresOf(db, userId, period));
}

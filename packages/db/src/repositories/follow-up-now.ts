import type { Db, Tx } from "../client.ts";

// The owner's "Follow up now", as data: the step it sends is taken out of the schedule (or
// created) and marked when the owner asks, so "one is on its way" is a follow_ups row the page and
// a second request can see, not a job that vanishes once it ran (issue 10, finding 4).

/** follow_ups.reason of a step the owner sent with "Follow up now". */
export const FOLLOW_UP_NOW_REASON = "follow up now";

export interface FollowUpNowState {
  /** The step "Follow up now" sends next (or is sending). */
  step: number;
  /** A step is already on its way: marked by "Follow up now" and not sent yet, or being sent. */
  pending: boolean;
}

interface NowStepRows {
  inFlight: { id: string; step: number; plannedAt: Date } | null;
  planned: { id: string; step: number; jobKey: string | null } | null;
  /** The step settled last (sent or failed). */
  last: { step: number; status: string } | null;
}

async function readNowStepRows(tx: Tx, leadId: string): Promise<NowStepRows> {
  const [inFlight, planned, last] = await Promise.all([
    tx.followUp.findFirst({
      where: { leadId, OR: [{ status: "sending" }, { status: "planned", reason: FOLLOW_UP_NOW_REASON }] },
      orderBy: { plannedAt: "asc" },
      select: { id: true, step: true, plannedAt: true },
    }),
    tx.followUp.findFirst({ where: { leadId, status: "planned" }, orderBy: { plannedAt: "asc" }, select: { id: true, step: true, jobKey: true } }),
    tx.followUp.findFirst({ where: { leadId, status: { in: ["sent", "failed"] } }, orderBy: { updatedAt: "desc" }, select: { step: true, status: true } }),
  ]);
  return { inFlight, planned, last };
}

/**
 * What the lead page's button acts on, when the step on its way is (was) due (null: none), and
 * the latest step that went out (null: none, or it failed).
 */
export async function readFollowUpNowState(
  tx: Tx,
  leadId: string,
): Promise<FollowUpNowState & { pendingDueAt: Date | null; lastSentStep: number | null }> {
  const rows = await readNowStepRows(tx, leadId);
  const lastSentStep = rows.last?.status === "sent" ? rows.last.step : null;
  if (rows.inFlight) return { step: rows.inFlight.step, pending: true, pendingDueAt: rows.inFlight.plannedAt, lastSentStep };
  return { step: rows.planned?.step ?? (rows.last?.step ?? 0) + 1, pending: false, pendingDueAt: null, lastSentStep };
}

/**
 * Marks the lead's next step for "Follow up now", in the caller's transaction (the lead row locked
 * by the caller): the planned step is taken out of the schedule (its job removed), or a new step
 * after the last one is created. The caller has checked that none is already on its way.
 */
export async function takeNowStep(tx: Tx, input: { userId: string; leadId: string; now: Date }): Promise<{ id: string; step: number }> {
  const rows = await readNowStepRows(tx, input.leadId);
  if (rows.planned) {
    if (rows.planned.jobKey) await tx.$executeRaw`SELECT graphile_worker.remove_job(${rows.planned.jobKey})`;
    await tx.followUp.update({ where: { id: rows.planned.id }, data: { plannedAt: input.now, reason: FOLLOW_UP_NOW_REASON } });
    return { id: rows.planned.id, step: rows.planned.step };
  }
  // The channel is re-chosen when the step runs; the lead's own is the best guess for the page.
  const { channel } = await tx.lead.findUniqueOrThrow({ where: { id: input.leadId }, select: { channel: true } });
  return tx.followUp.create({
    data: {
      userId: input.userId,
      leadId: input.leadId,
      step: (rows.last?.step ?? 0) + 1,
      channel,
      plannedAt: input.now,
      reason: FOLLOW_UP_NOW_REASON,
    },
    select: { id: true, step: true },
  });
}

/**
 * The `followup:now` job's step: the one the owner's request marked. Null when there is none any
 * more (the lead wrote, was paused or converted meanwhile, which cancels planned steps): the job
 * then sends nothing rather than a step nobody asked for.
 */
export function takeStepForNow(db: Db, input: { userId: string; leadId: string }): Promise<string | null> {
  return db.asUser(input.userId, async (tx) => {
    const marked = await tx.followUp.findFirst({
      where: { leadId: input.leadId, status: "planned", reason: FOLLOW_UP_NOW_REASON },
      orderBy: { plannedAt: "asc" },
      select: { id: true },
    });
    return marked?.id ?? null;
  });
}

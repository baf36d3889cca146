import { FOLLOW_UP_JOBS, replanJobKey, stepJobKey, type ReplanJobPayload, type StepJobPayload } from "@audnix/core";
import type { Db, Tx } from "../client.ts";
import { FOLLOW_UP_NOW_REASON } from "./follow-up-now.ts";

// The owner changed the timing settings: the steps already planned move with them (issue 11). The
// settings transaction queues one followup:replan job per owner; the worker plans each step again
// with core's policy and moves its row and its job (graphile-worker's add_job, same key, replace).

/** Queues the owner's replan in the caller's transaction; a replan not started yet is replaced. */
export async function queueFollowUpReplan(tx: Tx, userId: string): Promise<void> {
  const payload: ReplanJobPayload = { userId };
  await tx.$executeRaw`SELECT graphile_worker.add_job(
    ${FOLLOW_UP_JOBS.replan}, ${JSON.stringify(payload)}::json,
    job_key := ${replanJobKey(userId)}, job_key_mode := 'replace')`;
}

export interface ReplannableStep {
  followUpId: string;
  leadId: string;
  step: number;
}

/**
 * The owner's steps the engine planned and still waits for. A step "Follow up now" marked stays:
 * the owner chose its moment.
 */
export function listReplannableSteps(db: Db, { userId }: { userId: string }): Promise<ReplannableStep[]> {
  return db.asUser(userId, async (tx) => {
    const rows = await tx.followUp.findMany({
      where: { status: "planned", OR: [{ reason: null }, { reason: { not: FOLLOW_UP_NOW_REASON } }] },
      orderBy: [{ leadId: "asc" }, { step: "asc" }],
      select: { id: true, leadId: true, step: true },
    });
    return rows.map((row) => ({ followUpId: row.id, leadId: row.leadId, step: row.step }));
  });
}

const stillReplannable = (followUpId: string) => ({
  id: followUpId,
  status: "planned" as const,
  OR: [{ reason: null }, { reason: { not: FOLLOW_UP_NOW_REASON } }],
});

/**
 * Moves a planned step and its job to `plannedAt`, in one transaction. False when the step is no
 * longer waiting (sent, cancelled, marked by "Follow up now" meanwhile): then nothing changes.
 */
export function moveFollowUpStep(
  db: Db,
  input: { userId: string; followUpId: string; leadId: string; step: number; plannedAt: Date },
): Promise<boolean> {
  return db.asUser(input.userId, async (tx) => {
    const jobKey = stepJobKey(input.leadId, input.step);
    const moved = await tx.followUp.updateMany({ where: stillReplannable(input.followUpId), data: { plannedAt: input.plannedAt, jobKey } });
    if (moved.count === 0) return false;
    const payload: StepJobPayload = { followUpId: input.followUpId, userId: input.userId };
    // As app_followup_plan_next queues a step; "replace" moves the waiting job (a job already
    // running finds the step claimed by itself or sent, and the new one finds it no longer planned).
    await tx.$executeRaw`SELECT graphile_worker.add_job(
      ${FOLLOW_UP_JOBS.step}, ${JSON.stringify(payload)}::json,
      run_at := ${input.plannedAt}, job_key := ${jobKey}, job_key_mode := 'replace')`;
    return true;
  });
}

/** Cancels a planned step the owner's sequence no longer has, with `reason`, and removes its job. */
export function cancelFollowUpStep(db: Db, input: { userId: string; followUpId: string; leadId: string; step: number; reason: string }): Promise<boolean> {
  return db.asUser(input.userId, async (tx) => {
    const cancelled = await tx.followUp.updateMany({ where: stillReplannable(input.followUpId), data: { status: "cancelled", reason: input.reason } });
    if (cancelled.count === 0) return false;
    await tx.$executeRaw`SELECT graphile_worker.remove_job(${stepJobKey(input.leadId, input.step)})`;
    return true;
  });
}

import type { Db } from "../client.ts";

// leads.reply_due_at: "a reply to the lead's latest message is on its way", kept by the
// transactions that queue, put off and remove the followup:reply job (migration reply_due_at), so
// the lead page never has to read graphile-worker's tables (they are not a public interface).

/** When the lead's queued reply is due, read by the reply job as it starts; null: none. */
export async function readReplyDue(db: Db, input: { userId: string; leadId: string }): Promise<Date | null> {
  const lead = await db.asUser(input.userId, (tx) => tx.lead.findUnique({ where: { id: input.leadId }, select: { replyDueAt: true } }));
  return lead?.replyDueAt ?? null;
}

/**
 * The reply job that started with `seenDueAt` has settled (sent, stopped, nothing to do). A reply
 * queued while it ran (the lead wrote again, or the run put itself off) wrote another due time,
 * which stays: only the value the job saw is cleared.
 */
export async function settleReplyDue(db: Db, input: { userId: string; leadId: string; seenDueAt: Date | null }): Promise<void> {
  const { seenDueAt } = input;
  if (seenDueAt === null) return;
  await db.asUser(input.userId, (tx) =>
    tx.lead.updateMany({ where: { id: input.leadId, replyDueAt: seenDueAt }, data: { replyDueAt: null } }),
  );
}

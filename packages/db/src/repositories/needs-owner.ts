import type { Db } from "../client.ts";
import { resumeStepHeldForOwner } from "./lead-controls.ts";

// leads.needs_owner_*: the AI flags a lead it could not serve (docs/decisions/0021), the owner
// clears it by acting. The engine sets it in beginSend, with the reply that says the team will
// get back; the "Needs you" queue (issue 11) reads the same columns.

/**
 * The owner has dealt with what the AI flagged (answered the lead, added the answer to the
 * knowledge base): the flag goes, with an audit row naming what it was, and the follow-ups the
 * flag held resume (`followUpQueued`: the held step is queued at once, resumeStepHeldForOwner).
 * False when nothing was flagged or the lead is not the owner's (row-level security hides it).
 */
export function clearNeedsOwner(
  db: Db,
  input: { userId: string; leadId: string; now: Date },
): Promise<{ cleared: boolean; followUpQueued: boolean }> {
  return db.asUser(input.userId, async (tx) => {
    const lead = await tx.lead.findUnique({ where: { id: input.leadId }, select: { needsOwnerReason: true, needsOwnerAt: true } });
    if (!lead?.needsOwnerReason) return { cleared: false, followUpQueued: false };
    await tx.lead.update({ where: { id: input.leadId }, data: { needsOwnerAt: null, needsOwnerReason: null, needsOwnerDetail: null, needsOwnerAlertedAt: null } });
    await tx.auditLog.create({
      data: {
        userId: input.userId,
        actor: "owner",
        action: "lead.needs_owner_cleared",
        target: input.leadId,
        data: { reason: lead.needsOwnerReason, flaggedAt: lead.needsOwnerAt?.toISOString() ?? null },
      },
    });
    const followUpQueued = await resumeStepHeldForOwner(tx, input, input.now);
    return { cleared: true, followUpQueued };
  });
}

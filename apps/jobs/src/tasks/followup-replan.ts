import { replanJobPayloadSchema, replanStep } from "@audnix/core";
import { cancelFollowUpStep, listReplannableSteps, loadFollowUpContext, moveFollowUpStep, type ReplannableStep } from "@audnix/db";
import { defineTask } from "./define-task.ts";
import { leadSnapshot } from "./followup-snapshot.ts";

/**
 * The owner saved new timing (steps, quiet hours, zone, delay window): every step still planned
 * is planned again by core's policy from the lead's messages (what planned it first), its row and
 * job moved together; a step the shorter sequence no longer has is cancelled with the reason.
 * Each step is its own transaction, so a rerun after a crash redoes only what is left to redo.
 */
export const followUpReplanTask = defineTask(replanJobPayloadSchema, async ({ userId }, { deps, logger }) => {
  const { db, followUpServices } = deps;
  const steps = await listReplannableSteps(db, { userId });
  const byLead = new Map<string, ReplannableStep[]>();
  for (const step of steps) byLead.set(step.leadId, [...(byLead.get(step.leadId) ?? []), step]);
  let moved = 0;
  let cancelled = 0;
  for (const [leadId, leadSteps] of byLead) {
    // Read now, not when the job was queued: the settings the owner saved last.
    const context = await loadFollowUpContext(db, { userId, leadId });
    if (!context) continue;
    const lead = leadSnapshot(context);
    for (const step of leadSteps) {
      const plan = replanStep({
        step: step.step,
        lastInboundAt: lead.lastInboundAt,
        lastOutboundAt: lead.lastOutboundAt,
        settings: context.brand,
        leadTimeZone: lead.timeZone,
        random: followUpServices.random,
      });
      if (plan.action === "cancel") {
        if (await cancelFollowUpStep(db, { userId, followUpId: step.followUpId, leadId, step: step.step, reason: plan.reason })) cancelled += 1;
      } else if (await moveFollowUpStep(db, { userId, followUpId: step.followUpId, leadId, step: step.step, plannedAt: plan.plannedAt })) {
        moved += 1;
      }
    }
  }
  logger.info("follow-ups re-planned", { moved, cancelled });
});

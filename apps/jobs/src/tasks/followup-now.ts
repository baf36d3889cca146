import { nowJobPayloadSchema } from "@audnix/core";
import { takeStepForNow } from "@audnix/db";
import { defineTask } from "./define-task.ts";
import { runFollowUp } from "./followup-engine.ts";

/**
 * "Follow up now": the step the owner's request marked (the planned one, taken out of the
 * schedule, or a new one) goes out at once through the same pipeline as a scheduled step, quiet
 * hours aside (the owner chose the moment); stop rules still apply.
 */
export const followUpNowTask = defineTask(nowJobPayloadSchema, async (payload, run) => {
  const followUpId = await takeStepForNow(run.deps.db, { userId: payload.userId, leadId: payload.leadId });
  if (!followUpId) {
    run.logger.info("the step the owner asked for is no longer planned; nothing to do");
    return;
  }
  await runFollowUp({ kind: "now", userId: payload.userId, followUpId }, run);
});

import { stepJobPayloadSchema } from "@audnix/core";
import { defineTask } from "./define-task.ts";
import { runFollowUp } from "./followup-engine.ts";

/** Sends one planned step of the sequence (a follow_ups row) and plans the next. */
export const followUpStepTask = defineTask(stepJobPayloadSchema, (payload, run) =>
  runFollowUp({ kind: "step", userId: payload.userId, followUpId: payload.followUpId }, run),
);

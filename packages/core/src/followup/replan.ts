import { planStepTime, type PlanStepTimeInput } from "./timing.ts";

// The owner changed the sequence, quiet hours, zone or delay window: every planned step is planned
// again by the same policy that planned it (planStepTime), from the same messages.

/** follow_ups.reason of a planned step cancelled because the owner's sequence no longer has it. */
export const STEP_REMOVED_REASON = "step removed from the sequence";

export type StepReplan = { action: "move"; plannedAt: Date } | { action: "cancel"; reason: string };

/** Where a planned step goes under the current settings, or that it is cancelled (fewer steps now). */
export function replanStep(input: PlanStepTimeInput): StepReplan {
  if (input.step > input.settings.followUpStepsMinutes.length) return { action: "cancel", reason: STEP_REMOVED_REASON };
  return { action: "move", plannedAt: planStepTime(input) };
}

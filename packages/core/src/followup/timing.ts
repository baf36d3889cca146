import type { RandomSource } from "../random.ts";
import { randomIntInclusive } from "../random.ts";
import type { FollowUpSettings } from "./defaults.ts";
import { FOLLOW_UP_POLICY } from "./defaults.ts";
import { nextAllowedInstant } from "./quiet-hours.ts";
import { resolveTimeZone } from "./time-zone.ts";

const MINUTE_MS = 60_000;

/**
 * How long a reply waits after the debounce: 45 s to 4 min, uniformly, like a person who saw the
 * message and typed an answer. Replies ignore quiet hours on purpose: the lead wrote a moment ago,
 * so they are awake and expect an answer now; holding it until morning would read as being ignored.
 */
export function replyDelaySeconds(random: RandomSource): number {
  return randomIntInclusive(random, FOLLOW_UP_POLICY.replyDelayMinSeconds, FOLLOW_UP_POLICY.replyDelayMaxSeconds);
}

export interface PlanStepTimeInput {
  /** 1-based step of the sequence (1 = the first follow-up). */
  step: number;
  lastInboundAt: Date | null;
  lastOutboundAt: Date | null;
  settings: FollowUpSettings;
  /** The lead fact `timezone`, if any; invalid zones fall back to the brand's, then UTC. */
  leadTimeZone: string | null;
  random: RandomSource;
}

/**
 * The minutes step `step` waits after the latest message of the conversation. The settings store
 * ascending offsets from the start of the silence ([60, 1440, 4320] = +1 h, +1 day, +3 days); since
 * every sent step is itself the latest message, step n waits the difference to step n-1
 * (60, 1380, 2880), and the sequence keeps its shape even when a step was pushed out of quiet hours.
 */
export function stepGapMinutes(step: number, stepsMinutes: readonly number[]): number {
  const offset = stepsMinutes[step - 1];
  if (!Number.isInteger(step) || step < 1 || offset === undefined) {
    throw new RangeError(`Follow-up step ${step} is not in a sequence of ${stepsMinutes.length} steps`);
  }
  return offset - (stepsMinutes[step - 2] ?? 0);
}

/**
 * When follow-up step `step` goes out: the later of the lead's last message and our last message,
 * plus the step's gap (stepGapMinutes), plus a random delay_min..delay_max minutes, then moved out
 * of quiet hours (lead's zone, else brand's, else UTC). Throws RangeError for a step past the end of
 * the sequence (check stopReason first) or a conversation with no message at all.
 */
export function planStepTime(input: PlanStepTimeInput): Date {
  const { settings } = input;
  const anchors = [input.lastInboundAt, input.lastOutboundAt].filter((value): value is Date => value !== null);
  if (anchors.length === 0) throw new RangeError("A follow-up needs a message to follow up on");
  const anchor = Math.max(...anchors.map((value) => value.getTime()));
  const gap = stepGapMinutes(input.step, settings.followUpStepsMinutes);
  const jitterSeconds = randomIntInclusive(input.random, settings.delayMinMinutes * 60, settings.delayMaxMinutes * 60);
  const planned = new Date(anchor + gap * MINUTE_MS + jitterSeconds * 1000);
  const timeZone = resolveTimeZone(input.leadTimeZone, settings.timezone);
  return nextAllowedInstant(planned, { start: settings.quietHoursStart, end: settings.quietHoursEnd }, timeZone, input.random);
}

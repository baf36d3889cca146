// The follow-up sequence as owners write it ("1h, 1d, 3d") and as it is stored (minutes after the
// lead's last message). One parser and one set of limits, shared by the settings form and the API.

export const STEP_LIMITS = {
  minSteps: 1,
  maxSteps: 10,
  minMinutes: 10,
  maxMinutes: 30 * 24 * 60,
} as const;

const UNIT_MINUTES = { m: 1, h: 60, d: 24 * 60 } as const;

/**
 * The longest steps text read. Ten steps of the longest spelling ("29d 23h 59m, ") are about 130
 * characters; anything longer is refused before it is split, and never quoted back whole.
 */
export const STEP_TEXT_MAX_CHARS = 200;

type Unit = keyof typeof UNIT_MINUTES;

export type StepDurationsResult = { ok: true; minutes: number[] } | { ok: false; error: string };

/** The first rule a list of step offsets (minutes) breaks, or null when it is a valid sequence. */
export function stepMinutesProblem(minutes: readonly number[]): string | null {
  if (minutes.length < STEP_LIMITS.minSteps) return "Add at least one follow-up step.";
  if (minutes.length > STEP_LIMITS.maxSteps) return `Use at most ${STEP_LIMITS.maxSteps} follow-up steps.`;
  for (const [index, value] of minutes.entries()) {
    const label = `Step ${index + 1} (${formatStepDuration(value)})`;
    if (!Number.isInteger(value)) return `${label} must be a whole number of minutes.`;
    if (value < STEP_LIMITS.minMinutes) return `${label} is too soon: the shortest step is 10 minutes.`;
    if (value > STEP_LIMITS.maxMinutes) return `${label} is too late: the longest step is 30 days.`;
    const previous = minutes[index - 1];
    if (previous !== undefined && value <= previous) {
      return `${label} must come after step ${index} (${formatStepDuration(previous)}).`;
    }
  }
  return null;
}

/** Parses "30m, 1h, 1d 12h" (comma-separated; units m, h, d) into minutes, with a message for the owner. */
export function parseStepDurations(text: string): StepDurationsResult {
  if (text.length > STEP_TEXT_MAX_CHARS) {
    return { ok: false, error: `That is too long for ${STEP_LIMITS.maxSteps} steps: write e.g. 30m, 2h or 3d, separated by commas.` };
  }
  const parts = text
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part !== "");
  const minutes: number[] = [];
  for (const part of parts) {
    const value = parseOneDuration(part);
    if (value === null) {
      return { ok: false, error: `"${part}" is not a duration: write e.g. 30m, 2h or 3d, separated by commas.` };
    }
    minutes.push(value);
  }
  const problem = stepMinutesProblem(minutes);
  return problem === null ? { ok: true, minutes } : { ok: false, error: problem };
}

function parseOneDuration(part: string): number | null {
  const pieces = part.toLowerCase().split(/\s+/);
  let total = 0;
  for (const piece of pieces) {
    const match = /^(\d{1,5})([mhd])$/.exec(piece);
    if (!match) return null;
    total += Number(match[1]) * UNIT_MINUTES[match[2] as Unit];
  }
  return total;
}

/** 90 -> "1h 30m", 4320 -> "3d": the shortest spelling parseStepDurations reads back. */
export function formatStepDuration(minutes: number): string {
  const days = Math.floor(minutes / UNIT_MINUTES.d);
  const hours = Math.floor((minutes % UNIT_MINUTES.d) / UNIT_MINUTES.h);
  const rest = minutes % UNIT_MINUTES.h;
  const pieces = [days ? `${days}d` : "", hours ? `${hours}h` : "", rest ? `${rest}m` : ""].filter(Boolean);
  return pieces.length > 0 ? pieces.join(" ") : "0m";
}

export function formatStepDurations(minutes: readonly number[]): string {
  return minutes.map(formatStepDuration).join(", ");
}

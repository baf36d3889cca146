import type { RandomSource } from "../random.ts";
import { randomIntInclusive } from "../random.ts";
import { FOLLOW_UP_POLICY } from "./defaults.ts";
import { addCalendarDays, instantsOfWallClock, wallClockAt } from "./time-zone.ts";

/** Local times "HH:MM" (24 h). start > end wraps midnight (21:00-08:00); start == end means none. */
export interface QuietHours {
  start: string;
  end: string;
}

const MINUTE_MS = 60_000;

/** How "no quiet hours" is stored: equal start and end (the settings form's "No quiet hours"). */
export const NO_QUIET_HOURS: QuietHours = { start: "00:00", end: "00:00" };

/** Whether the window holds any minute at all (start and end differ). */
export function hasQuietHours(quietHours: QuietHours): boolean {
  return parseClockTime(quietHours.start) !== parseClockTime(quietHours.end);
}

/** Minutes after midnight of an "HH:MM" (or "H:MM") string; throws on anything else. */
export function parseClockTime(value: string): number {
  const match = /^(\d{1,2}):(\d{2})$/.exec(value.trim());
  const hours = Number(match?.[1]);
  const minutes = Number(match?.[2]);
  if (!match || hours > 23 || minutes > 59) throw new RangeError(`"${value}" is not a time of day (HH:MM)`);
  return hours * 60 + minutes;
}

function isInWindow(minuteOfDay: number, start: number, end: number): boolean {
  // Equal ends hold no minute (hasQuietHours).
  if (start === end) return false;
  return start < end ? minuteOfDay >= start && minuteOfDay < end : minuteOfDay >= start || minuteOfDay < end;
}

/** Whether `instant`, read on the wall clock of `timeZone`, falls in [start, end). */
export function isInQuietHours(instant: Date, quietHours: QuietHours, timeZone: string): boolean {
  const clock = wallClockAt(instant, timeZone);
  return isInWindow(clock.hour * 60 + clock.minute, parseClockTime(quietHours.start), parseClockTime(quietHours.end));
}

/**
 * `instant` itself when it is outside quiet hours; otherwise the local end of the quiet hours plus
 * a random 0..quietHoursExitJitterMaxMinutes, so a brand's whole backlog does not fire at 08:00:00
 * sharp. An end time skipped by a DST change moves forward by the gap (see instantOfWallClock).
 */
export function nextAllowedInstant(instant: Date, quietHours: QuietHours, timeZone: string, random: RandomSource): Date {
  if (!isInQuietHours(instant, quietHours, timeZone)) return instant;
  const start = parseClockTime(quietHours.start);
  const end = parseClockTime(quietHours.end);
  const clock = wallClockAt(instant, timeZone);
  const minuteOfDay = clock.hour * 60 + clock.minute;
  // In a wrapping window the evening part ends tomorrow morning.
  const endsTomorrow = start > end && minuteOfDay >= start;
  const endDay = addCalendarDays(clock, endsTomorrow ? 1 : 0);
  const endClock = { ...endDay, hour: Math.floor(end / 60), minute: end % 60, second: 0 };
  // When the end time happens twice (DST ends), the one still ahead of us.
  const endings = instantsOfWallClock(endClock, timeZone);
  const quietEnd = endings.find((ending) => ending.getTime() > instant.getTime()) ?? (endings.at(-1) as Date);
  const jitterMinutes = randomIntInclusive(random, 0, FOLLOW_UP_POLICY.quietHoursExitJitterMaxMinutes);
  return new Date(quietEnd.getTime() + jitterMinutes * MINUTE_MS);
}

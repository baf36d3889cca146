// The summary's week: Monday 00:00 to the next Monday 00:00 in the owner's zone (168 hours, or 167
// / 169 across a DST change), sent the Monday after it at 08:00 local.
import { z } from "zod";
import { addCalendarDays, instantOfWallClock, wallClockAt, type WallClock } from "../followup/time-zone.ts";

/** The local hour on Monday the weekly summary is sent. */
export const WEEKLY_SUMMARY_SEND_HOUR = 8;

/** "2026-11-30": the Monday a summary's week starts on, in the owner's zone. */
export const weekStartSchema = z
  .string()
  .max(10)
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((text) => {
    const date = new Date(`${text}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text) && date.getUTCDay() === 1;
  }, "must be a Monday (YYYY-MM-DD)");

export interface SummaryWeek {
  /** The Monday, "YYYY-MM-DD". */
  weekStart: string;
  /** The Sunday, "YYYY-MM-DD" (the last day of the week). */
  weekEnd: string;
  /** Monday 00:00 local. */
  start: Date;
  /** The next Monday 00:00 local: the week is [start, end). */
  end: Date;
  /** The next Monday at 08:00 local: when its weekly summary is due. */
  sendAt: Date;
}

const midnight = (clock: WallClock): WallClock => ({ ...clock, hour: 0, minute: 0, second: 0 });

function formatDate(clock: WallClock): string {
  return `${String(clock.year).padStart(4, "0")}-${String(clock.month).padStart(2, "0")}-${String(clock.day).padStart(2, "0")}`;
}

function clockOfDate(date: string): WallClock {
  const [year, month, day] = date.split("-").map(Number);
  return { year: year ?? 0, month: month ?? 1, day: day ?? 1, hour: 0, minute: 0, second: 0 };
}

/** The week starting on `weekStart` (a Monday) in `timeZone`. */
export function summaryWeek(weekStart: string, timeZone: string): SummaryWeek {
  const monday = clockOfDate(weekStart);
  const nextMonday = addCalendarDays(monday, 7);
  return {
    weekStart,
    weekEnd: formatDate(addCalendarDays(monday, 6)),
    start: instantOfWallClock(monday, timeZone),
    end: instantOfWallClock(nextMonday, timeZone),
    sendAt: instantOfWallClock({ ...nextMonday, hour: WEEKLY_SUMMARY_SEND_HOUR }, timeZone),
  };
}

/** The week `instant` falls in, in `timeZone`. */
export function weekContaining(instant: Date, timeZone: string): SummaryWeek {
  const today = midnight(wallClockAt(instant, timeZone));
  const weekday = new Date(Date.UTC(today.year, today.month - 1, today.day)).getUTCDay();
  // getUTCDay: Sunday 0 ... Saturday 6; Monday starts the week.
  return summaryWeek(formatDate(addCalendarDays(today, -((weekday + 6) % 7))), timeZone);
}

/** The latest week whose summary is due at `now`: last week once this Monday's 08:00 has passed, else the week before. */
export function latestDueWeek(now: Date, timeZone: string): SummaryWeek {
  const current = weekContaining(now, timeZone);
  const last = summaryWeek(formatDate(addCalendarDays(clockOfDate(current.weekStart), -7)), timeZone);
  if (now.getTime() >= last.sendAt.getTime()) return last;
  return summaryWeek(formatDate(addCalendarDays(clockOfDate(current.weekStart), -14)), timeZone);
}

/**
 * Whether an owner is owed the weekly summary of `week` at `now`: it is due, and the owner had an
 * account before the week ended (a Sunday sign-up does not get an empty summary of the week before).
 */
export function weeklySummaryOwed(week: SummaryWeek, input: { now: Date; accountCreatedAt: Date }): boolean {
  return input.now.getTime() >= week.sendAt.getTime() && input.accountCreatedAt.getTime() < week.end.getTime();
}

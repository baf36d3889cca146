// Calendar days in the owner's time zone. A day runs from one local midnight to the next, so it
// lasts 23 or 25 hours when DST starts or ends (Europe/Berlin 2026-03-29 and 2026-10-25).
import { z } from "zod";
import { addCalendarDays, instantOfWallClock, wallClockAt, type WallClock } from "../followup/time-zone.ts";

/** A calendar date, "2026-03-29". */
export type LocalDate = string;

const LOCAL_DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** "YYYY-MM-DD" naming a real calendar date (no 2026-02-30). */
export const localDateSchema = z
  .string()
  .max(10)
  .regex(LOCAL_DATE_PATTERN, "Use a date like 2026-03-29.")
  .refine((text) => parseLocalDate(text) !== null, "That date does not exist.");

function parseLocalDate(text: string): WallClock | null {
  const match = LOCAL_DATE_PATTERN.exec(text);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (probe.getUTCFullYear() !== year || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) return null;
  return { year, month, day, hour: 0, minute: 0, second: 0 };
}

function clockOf(date: LocalDate): WallClock {
  const clock = parseLocalDate(date);
  if (!clock) throw new RangeError(`Not a calendar date: "${date}"`);
  return clock;
}

function formatLocalDate(clock: WallClock): LocalDate {
  const pad = (value: number, width: number) => String(value).padStart(width, "0");
  return `${pad(clock.year, 4)}-${pad(clock.month, 2)}-${pad(clock.day, 2)}`;
}

/** The calendar date `instant` falls on in `timeZone`. */
export function localDateOf(instant: Date, timeZone: string): LocalDate {
  return formatLocalDate(wallClockAt(instant, timeZone));
}

/** The date `days` after (or before, negative) `date`. */
export function addDays(date: LocalDate, days: number): LocalDate {
  return formatLocalDate(addCalendarDays(clockOf(date), days));
}

/** Whole days from `from` to `to` (0 for the same date; negative when `to` is earlier). */
export function daysBetween(from: LocalDate, to: LocalDate): number {
  const utc = (clock: WallClock) => Date.UTC(clock.year, clock.month - 1, clock.day);
  return Math.round((utc(clockOf(to)) - utc(clockOf(from))) / 86_400_000);
}

export interface LocalDay {
  date: LocalDate;
  /** The first instant of the day (local midnight). */
  start: Date;
  /** The first instant of the next day: the day is [start, end). */
  end: Date;
}

/** The instant local midnight begins `date` in `timeZone` (the first one, where midnight repeats). */
export function startOfLocalDay(date: LocalDate, timeZone: string): Date {
  return instantOfWallClock(clockOf(date), timeZone);
}

export function localDay(date: LocalDate, timeZone: string): LocalDay {
  return { date, start: startOfLocalDay(date, timeZone), end: startOfLocalDay(addDays(date, 1), timeZone) };
}

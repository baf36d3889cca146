// Wall-clock arithmetic in IANA zones with Intl only (no date library). Every conversion goes through
// the zone's real offset at the instant in question, so DST transitions come out right.

export interface WallClock {
  year: number;
  /** 1-12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat | null {
  const cached = formatters.get(timeZone);
  if (cached) return cached;
  try {
    const formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, formatter);
    return formatter;
  } catch {
    return null;
  }
}

/**
 * The longest zone name looked up. The longest Intl knows has 30 characters
 * ("America/Argentina/Rio_Gallegos"); Intl takes about half a second to refuse a 1 MB one.
 */
export const TIME_ZONE_MAX_CHARS = 64;

/** true for a zone name Intl knows ("Europe/Berlin", "UTC"); false for typos and empty or overlong strings. */
export function isValidTimeZone(timeZone: string | null | undefined): timeZone is string {
  return (
    typeof timeZone === "string" &&
    timeZone.length <= TIME_ZONE_MAX_CHARS &&
    timeZone.trim() !== "" &&
    formatterFor(timeZone) !== null
  );
}

/**
 * The zone quiet hours are evaluated in: the lead's own zone (lead fact `timezone`) when valid, else
 * the brand's (brand_settings.timezone), else UTC. A bad value never stops the sequence.
 */
export function resolveTimeZone(leadTimeZone: string | null | undefined, brandTimeZone: string | null | undefined): string {
  if (isValidTimeZone(leadTimeZone)) return leadTimeZone;
  if (isValidTimeZone(brandTimeZone)) return brandTimeZone;
  return "UTC";
}

/** The wall-clock reading of `instant` in `timeZone` (which must be valid; see resolveTimeZone). */
export function wallClockAt(instant: Date, timeZone: string): WallClock {
  const formatter = formatterFor(timeZone);
  if (!formatter) throw new RangeError(`Unknown time zone "${timeZone}"`);
  const parts: Partial<Record<Intl.DateTimeFormatPartTypes, number>> = {};
  for (const part of formatter.formatToParts(instant)) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year ?? 0,
    month: parts.month ?? 1,
    day: parts.day ?? 1,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

function wallClockAsUtcMs(clock: WallClock): number {
  return Date.UTC(clock.year, clock.month - 1, clock.day, clock.hour, clock.minute, clock.second);
}

/** The zone's offset from UTC at `epochMs`, in milliseconds (Berlin in summer: +7,200,000). */
function offsetMsAt(epochMs: number, timeZone: string): number {
  const instant = new Date(epochMs);
  const whole = epochMs - instant.getUTCMilliseconds();
  return wallClockAsUtcMs(wallClockAt(instant, timeZone)) - whole;
}

/**
 * Every instant at which `clock` is read in `timeZone`, earliest first: one on an ordinary day, two
 * for a time in the hour repeated when DST ends. A time skipped when DST starts never happens; it
 * gives the one instant Temporal's "compatible" mode does: moved forward by the length of the gap
 * (02:30 on a spring-forward night in New York -> 03:30 EDT).
 */
export function instantsOfWallClock(clock: WallClock, timeZone: string): Date[] {
  const asUtc = wallClockAsUtcMs(clock);
  // Transitions are at least days apart, so the offsets a day either side are the only candidates.
  const offsetBefore = offsetMsAt(asUtc - DAY_MS, timeZone);
  const offsetAfter = offsetMsAt(asUtc + DAY_MS, timeZone);
  const matches = [...new Set([offsetBefore, offsetAfter])]
    .map((offset) => asUtc - offset)
    .filter((candidate) => wallClockAsUtcMs(wallClockAt(new Date(candidate), timeZone)) === asUtc)
    .sort((a, b) => a - b);
  return (matches.length > 0 ? matches : [asUtc - offsetBefore]).map((epochMs) => new Date(epochMs));
}

/** The first instant `clock` happens in `timeZone` (see instantsOfWallClock for DST edges). */
export function instantOfWallClock(clock: WallClock, timeZone: string): Date {
  return instantsOfWallClock(clock, timeZone)[0] as Date;
}

/** The calendar date `days` after the given one (wall-clock fields normalized through Date.UTC). */
export function addCalendarDays(clock: WallClock, days: number): WallClock {
  const shifted = new Date(Date.UTC(clock.year, clock.month - 1, clock.day + days));
  return { ...clock, year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate() };
}

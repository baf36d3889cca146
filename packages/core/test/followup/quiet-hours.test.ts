import { describe, expect, it } from "vitest";
import { hasQuietHours, isInQuietHours, NO_QUIET_HOURS, nextAllowedInstant, parseClockTime } from "../../src/followup/quiet-hours.ts";
import { instantOfWallClock, instantsOfWallClock, resolveTimeZone, wallClockAt } from "../../src/followup/time-zone.ts";

const at = (iso: string) => new Date(iso);
const NIGHT = { start: "21:00", end: "08:00" };
const noJitter = () => 0;

describe("isInQuietHours", () => {
  it.each([
    {
      behaviour: "wraps midnight: 21:00-08:00 covers late evening and early morning, not the day",
      window: NIGHT,
      zone: "UTC",
      quiet: ["2026-06-10T21:00:00Z", "2026-06-10T23:30:00Z", "2026-06-11T07:59:00Z"],
      open: ["2026-06-10T20:59:00Z", "2026-06-11T08:00:00Z", "2026-06-11T13:00:00Z"],
    },
    {
      behaviour: "handles a window inside one day (13:00-14:00 lunch)",
      window: { start: "13:00", end: "14:00" },
      zone: "UTC",
      quiet: ["2026-06-10T13:30:00Z"],
      open: ["2026-06-10T12:59:00Z", "2026-06-10T14:00:00Z"],
    },
    {
      behaviour: "treats equal start and end as no quiet hours",
      window: { start: "08:00", end: "08:00" },
      zone: "UTC",
      quiet: [],
      open: ["2026-06-10T03:00:00Z"],
    },
    {
      // 2026-03-08 in New York: 02:00 EST jumps to 03:00 EDT.
      behaviour: "treats a quiet window the clock skips as empty that night",
      window: { start: "02:00", end: "03:00" },
      zone: "America/New_York",
      quiet: ["2026-03-09T06:30:00Z"],
      open: ["2026-03-08T06:59:00Z", "2026-03-08T07:00:00Z"],
    },
  ])("$behaviour", ({ window, zone, quiet, open }) => {
    for (const iso of quiet) expect(isInQuietHours(at(iso), window, zone), iso).toBe(true);
    for (const iso of open) expect(isInQuietHours(at(iso), window, zone), iso).toBe(false);
  });

  it("reads the clock in the given zone, not UTC", () => {
    // 03:00 UTC is 23:00 the evening before in New York (EDT) and 05:00 in Berlin (CEST).
    const instant = at("2026-06-10T03:00:00Z");
    expect(isInQuietHours(instant, NIGHT, "America/New_York")).toBe(true);
    expect(isInQuietHours(instant, { start: "22:00", end: "06:00" }, "Europe/Berlin")).toBe(true);
    expect(isInQuietHours(instant, { start: "22:00", end: "04:00" }, "Europe/Berlin")).toBe(false);
    expect(isInQuietHours(at("2026-06-10T14:00:00Z"), NIGHT, "Asia/Tokyo")).toBe(true);
  });

  it("rejects malformed clock times", () => {
    expect(() => parseClockTime("8am")).toThrow(RangeError);
    expect(() => parseClockTime("24:00")).toThrow(RangeError);
    expect(parseClockTime("8:05")).toBe(485);
  });
});

describe("nextAllowedInstant", () => {
  it("keeps an instant outside quiet hours as it is", () => {
    const instant = at("2026-06-10T12:34:56Z");
    expect(nextAllowedInstant(instant, NIGHT, "UTC", noJitter)).toEqual(instant);
  });

  it("moves an evening instant to the end of quiet hours the next morning", () => {
    expect(nextAllowedInstant(at("2026-06-10T22:15:00Z"), NIGHT, "UTC", noJitter)).toEqual(at("2026-06-11T08:00:00Z"));
  });

  it("moves an early-morning instant to the same morning", () => {
    expect(nextAllowedInstant(at("2026-06-11T03:00:00Z"), NIGHT, "UTC", noJitter)).toEqual(at("2026-06-11T08:00:00Z"));
  });

  it("adds at most 30 minutes of jitter after the end", () => {
    const late = nextAllowedInstant(at("2026-06-10T22:15:00Z"), NIGHT, "UTC", () => 0.999999);
    expect(late).toEqual(at("2026-06-11T08:30:00Z"));
  });

  it("uses the local morning of the lead's zone across the date line", () => {
    // 23:00 in Tokyo on June 10 = 14:00 UTC; quiet hours end 08:00 JST on June 11 = 23:00 UTC June 10.
    expect(nextAllowedInstant(at("2026-06-10T14:00:00Z"), NIGHT, "Asia/Tokyo", noJitter)).toEqual(at("2026-06-10T23:00:00Z"));
  });

  it("lands on 08:00 local across New York's DST start and end", () => {
    // 2026-03-08: clocks go 02:00 EST -> 03:00 EDT, so 08:00 is 12:00 UTC (it was 13:00 the day before).
    expect(nextAllowedInstant(at("2026-03-08T05:00:00Z"), NIGHT, "America/New_York", noJitter)).toEqual(at("2026-03-08T12:00:00Z"));
    expect(nextAllowedInstant(at("2026-03-07T05:00:00Z"), NIGHT, "America/New_York", noJitter)).toEqual(at("2026-03-07T13:00:00Z"));
    // 2026-11-01: 02:00 EDT -> 01:00 EST, so 08:00 is 13:00 UTC again.
    expect(nextAllowedInstant(at("2026-11-01T04:00:00Z"), NIGHT, "America/New_York", noJitter)).toEqual(at("2026-11-01T13:00:00Z"));
    expect(nextAllowedInstant(at("2026-10-31T04:00:00Z"), NIGHT, "America/New_York", noJitter)).toEqual(at("2026-10-31T12:00:00Z"));
  });

  it("lands on 08:00 local across Berlin's DST start and end", () => {
    // 2026-03-29: 02:00 CET -> 03:00 CEST; 08:00 CEST = 06:00 UTC.
    expect(nextAllowedInstant(at("2026-03-28T22:00:00Z"), NIGHT, "Europe/Berlin", noJitter)).toEqual(at("2026-03-29T06:00:00Z"));
    // 2026-10-25: 03:00 CEST -> 02:00 CET; 08:00 CET = 07:00 UTC.
    expect(nextAllowedInstant(at("2026-10-24T21:00:00Z"), NIGHT, "Europe/Berlin", noJitter)).toEqual(at("2026-10-25T07:00:00Z"));
  });

  it("moves past a quiet-hours end that the spring-forward night skips (02:30 does not exist)", () => {
    const window = { start: "22:00", end: "02:30" };
    // 01:30 EST on 2026-03-08; at 02:00 the clock jumps to 03:00, so 02:30 never happens.
    const pushed = nextAllowedInstant(at("2026-03-08T06:30:00Z"), window, "America/New_York", noJitter);
    expect(pushed).toEqual(at("2026-03-08T07:30:00Z"));
    expect(wallClockAt(pushed, "America/New_York")).toMatchObject({ hour: 3, minute: 30 });
    expect(isInQuietHours(pushed, window, "America/New_York")).toBe(false);
  });

  it("treats the repeated 01:00 hour of the fall-back night by its wall clock, both times", () => {
    const window = { start: "22:00", end: "01:30" };
    // 01:00 EDT (first pass) -> first 01:30 (05:30 UTC).
    expect(nextAllowedInstant(at("2026-11-01T05:00:00Z"), window, "America/New_York", noJitter)).toEqual(at("2026-11-01T05:30:00Z"));
    // 01:15 EST (second pass) reads 01:15 again: quiet, until the second 01:30 (06:30 UTC), never back in time.
    expect(isInQuietHours(at("2026-11-01T06:15:00Z"), window, "America/New_York")).toBe(true);
    expect(nextAllowedInstant(at("2026-11-01T06:15:00Z"), window, "America/New_York", noJitter)).toEqual(at("2026-11-01T06:30:00Z"));
  });

});

describe("wall clock conversion", () => {
  it("finds both instants of an ambiguous time and one for a skipped time", () => {
    const berlinFallBack = { year: 2026, month: 10, day: 25, hour: 2, minute: 30, second: 0 };
    expect(instantsOfWallClock(berlinFallBack, "Europe/Berlin")).toEqual([at("2026-10-25T00:30:00Z"), at("2026-10-25T01:30:00Z")]);
    const berlinSpringGap = { year: 2026, month: 3, day: 29, hour: 2, minute: 30, second: 0 };
    expect(instantsOfWallClock(berlinSpringGap, "Europe/Berlin")).toEqual([at("2026-03-29T01:30:00Z")]);
    expect(instantOfWallClock({ year: 2026, month: 7, day: 1, hour: 9, minute: 0, second: 0 }, "America/New_York")).toEqual(
      at("2026-07-01T13:00:00Z"),
    );
  });
});

describe("resolveTimeZone", () => {
  it("prefers the lead's zone, then the brand's, then UTC", () => {
    expect(resolveTimeZone("America/Sao_Paulo", "Europe/Berlin")).toBe("America/Sao_Paulo");
    expect(resolveTimeZone("Mars/Olympus_Mons", "Europe/Berlin")).toBe("Europe/Berlin");
    expect(resolveTimeZone(null, "Europe/Berlin")).toBe("Europe/Berlin");
    expect(resolveTimeZone("", "not a zone")).toBe("UTC");
    expect(resolveTimeZone(undefined, null)).toBe("UTC");
  });
});

describe("hasQuietHours", () => {
  it("is false only for equal ends, the stored form of 'no quiet hours', which hold no minute", () => {
    expect(hasQuietHours({ start: "21:00", end: "08:00" })).toBe(true);
    expect(hasQuietHours({ start: "9:00", end: "09:00" })).toBe(false);
    expect(hasQuietHours(NO_QUIET_HOURS)).toBe(false);
    expect(isInQuietHours(new Date("2026-06-10T00:00:00Z"), NO_QUIET_HOURS, "UTC")).toBe(false);
  });
});

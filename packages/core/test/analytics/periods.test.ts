import { describe, expect, it } from "vitest";
import { ANALYTICS_MAX_SPAN_DAYS, localDateOf, localDateSchema, localDay, previousPeriod, resolveAnalyticsPeriod, type AnalyticsRange } from "../../src/index.ts";

const HOUR_MS = 3_600_000;
const hoursOf = (day: { start: Date; end: Date }) => (day.end.getTime() - day.start.getTime()) / HOUR_MS;

function period(range: AnalyticsRange, now: string, timeZone: string) {
  const result = resolveAnalyticsPeriod(range, { now: new Date(now), timeZone });
  if (!result.ok) throw new Error(result.problem);
  return result.period;
}

describe("owner's local days", () => {
  it("gives Berlin's spring-forward day 23 hours, from local midnight to local midnight", () => {
    const day = localDay("2026-03-29", "Europe/Berlin");
    expect(day.start.toISOString()).toBe("2026-03-28T23:00:00.000Z");
    expect(day.end.toISOString()).toBe("2026-03-29T22:00:00.000Z");
    expect(hoursOf(day)).toBe(23);
  });

  it("gives Berlin's fall-back day 25 hours", () => {
    const day = localDay("2026-10-25", "Europe/Berlin");
    expect(day.start.toISOString()).toBe("2026-10-24T22:00:00.000Z");
    expect(day.end.toISOString()).toBe("2026-10-25T23:00:00.000Z");
    expect(hoursOf(day)).toBe(25);
  });

  it("gives New York's DST days 23 and 25 hours", () => {
    const spring = localDay("2026-03-08", "America/New_York");
    expect(spring.start.toISOString()).toBe("2026-03-08T05:00:00.000Z");
    expect(hoursOf(spring)).toBe(23);
    const autumn = localDay("2026-11-01", "America/New_York");
    expect(autumn.start.toISOString()).toBe("2026-11-01T04:00:00.000Z");
    expect(hoursOf(autumn)).toBe(25);
  });

  it("puts an instant on the owner's calendar date, not UTC's", () => {
    // 00:30 on the 29th in Berlin is still the 28th in UTC and in New York.
    expect(localDateOf(new Date("2026-03-28T23:30:00Z"), "Europe/Berlin")).toBe("2026-03-29");
    expect(localDateOf(new Date("2026-03-28T23:30:00Z"), "America/New_York")).toBe("2026-03-28");
    // The repeated hour of the fall-back night belongs to the 25th.
    expect(localDateOf(new Date("2026-10-25T00:30:00Z"), "Europe/Berlin")).toBe("2026-10-25");
    expect(localDateOf(new Date("2026-10-25T01:30:00Z"), "Europe/Berlin")).toBe("2026-10-25");
  });

  it("accepts only real calendar dates", () => {
    expect(localDateSchema.safeParse("2028-02-29").success).toBe(true);
    expect(localDateSchema.safeParse("2026-02-29").success).toBe(false);
    expect(localDateSchema.safeParse("2026-13-01").success).toBe(false);
    expect(localDateSchema.safeParse("29.03.2026").success).toBe(false);
  });
});

describe("analytics ranges", () => {
  it("makes 'last 7 days' the 7 local days up to today, spanning the short DST day, and the 7 days before", () => {
    // 2026-03-30 12:00 in Berlin.
    const current = period({ preset: "7d" }, "2026-03-30T10:00:00Z", "Europe/Berlin");
    expect([current.from, current.to]).toEqual(["2026-03-24", "2026-03-30"]);
    expect(current.days).toHaveLength(7);
    expect(current.start.toISOString()).toBe("2026-03-23T23:00:00.000Z");
    expect(current.end.toISOString()).toBe("2026-03-30T22:00:00.000Z");
    expect((current.end.getTime() - current.start.getTime()) / HOUR_MS).toBe(7 * 24 - 1);

    const before = previousPeriod(current);
    expect([before.from, before.to]).toEqual(["2026-03-17", "2026-03-23"]);
    // The previous period ends exactly where the current one starts: no instant is counted twice or lost.
    expect(before.end.getTime()).toBe(current.start.getTime());
  });

  it("takes today from the owner's zone: late evening in New York is already tomorrow in UTC", () => {
    const current = period({ preset: "30d" }, "2026-07-02T02:00:00Z", "America/New_York");
    expect([current.from, current.to]).toEqual(["2026-06-02", "2026-07-01"]);
    expect(current.start.toISOString()).toBe("2026-06-02T04:00:00.000Z");
  });

  it("covers the long fall-back day in a custom range", () => {
    const current = period({ from: "2026-10-24", to: "2026-10-26" }, "2026-11-10T12:00:00Z", "Europe/Berlin");
    expect(current.days.map(hoursOf)).toEqual([24, 25, 24]);
    expect(previousPeriod(current).days.map((day) => day.date)).toEqual(["2026-10-21", "2026-10-22", "2026-10-23"]);
  });

  it("refuses custom ranges out of order, in the future or longer than the limit", () => {
    const now = { now: new Date("2026-05-10T12:00:00Z"), timeZone: "Europe/Berlin" };
    expect(resolveAnalyticsPeriod({ from: "2026-05-09", to: "2026-05-01" }, now)).toEqual({ ok: false, problem: "The start date is after the end date." });
    expect(resolveAnalyticsPeriod({ from: "2026-05-01", to: "2026-05-11" }, now)).toEqual({ ok: false, problem: "The end date is in the future." });
    expect(resolveAnalyticsPeriod({ from: "2025-05-09", to: "2026-05-10" }, now)).toEqual({ ok: false, problem: `Pick at most ${ANALYTICS_MAX_SPAN_DAYS} days.` });
    expect(resolveAnalyticsPeriod({ from: "2025-05-10", to: "2026-05-10" }, now).ok).toBe(true);
    expect(resolveAnalyticsPeriod({ from: "2026-05-10", to: "2026-05-10" }, now).ok).toBe(true);
  });
});

import { describe, expect, it } from "vitest";
import { latestDueWeek, summaryWeek, weekContaining, weekStartSchema, weeklySummaryOwed } from "../../src/summary/week.ts";

const hours = (from: Date, to: Date) => (to.getTime() - from.getTime()) / 3_600_000;

describe("summary weeks", () => {
  it("runs Monday 00:00 to Monday 00:00 in the owner's zone and is due the next Monday at 08:00", () => {
    expect(summaryWeek("2026-11-23", "America/New_York")).toEqual({
      weekStart: "2026-11-23",
      weekEnd: "2026-11-29",
      start: new Date("2026-11-23T05:00:00Z"),
      end: new Date("2026-11-30T05:00:00Z"),
      sendAt: new Date("2026-11-30T13:00:00Z"),
    });
  });

  it("is 167 hours across Berlin's spring change and 169 across its autumn change; the Monday after stays at 08:00 local", () => {
    const spring = summaryWeek("2026-03-23", "Europe/Berlin");
    expect(spring.start).toEqual(new Date("2026-03-22T23:00:00Z"));
    expect(spring.end).toEqual(new Date("2026-03-29T22:00:00Z"));
    expect(hours(spring.start, spring.end)).toBe(167);
    expect(spring.sendAt).toEqual(new Date("2026-03-30T06:00:00Z"));
    const autumn = summaryWeek("2026-10-19", "Europe/Berlin");
    expect(hours(autumn.start, autumn.end)).toBe(169);
    expect(autumn.sendAt).toEqual(new Date("2026-10-26T07:00:00Z"));
  });

  it("finds the Monday of any day, in zones ahead of UTC by a half hour or across the date line", () => {
    // Sunday 20:00 UTC is already Monday 01:30 in Kolkata and Monday 09:00 in Auckland.
    const sundayEvening = new Date("2026-11-29T20:00:00Z");
    expect(weekContaining(sundayEvening, "UTC").weekStart).toBe("2026-11-23");
    expect(weekContaining(sundayEvening, "Asia/Kolkata").weekStart).toBe("2026-11-30");
    expect(weekContaining(sundayEvening, "Pacific/Auckland").weekStart).toBe("2026-11-30");
    expect(weekContaining(new Date("2026-12-02T12:00:00Z"), "UTC").weekStart).toBe("2026-11-30");
    expect(summaryWeek("2026-11-23", "Asia/Kolkata").sendAt).toEqual(new Date("2026-11-30T02:30:00Z"));
  });

  it("makes last week due at Monday 08:00 local, not a minute before", () => {
    const zone = "Europe/Berlin";
    expect(latestDueWeek(new Date("2026-11-30T06:59:00Z"), zone).weekStart).toBe("2026-11-16");
    expect(latestDueWeek(new Date("2026-11-30T07:00:00Z"), zone).weekStart).toBe("2026-11-23");
    expect(latestDueWeek(new Date("2026-12-06T22:59:00Z"), zone).weekStart).toBe("2026-11-23");
    // The Monday after the spring change: 08:00 CEST is 06:00 UTC.
    expect(latestDueWeek(new Date("2026-03-30T05:59:00Z"), zone).weekStart).toBe("2026-03-16");
    expect(latestDueWeek(new Date("2026-03-30T06:00:00Z"), zone).weekStart).toBe("2026-03-23");
  });

  it("owes a summary only once it is due and only for a week the account existed in", () => {
    const week = summaryWeek("2026-11-23", "UTC");
    const due = new Date("2026-11-30T08:00:00Z");
    expect(weeklySummaryOwed(week, { now: due, accountCreatedAt: new Date("2026-11-29T23:59:00Z") })).toBe(true);
    expect(weeklySummaryOwed(week, { now: due, accountCreatedAt: new Date("2026-11-30T00:00:00Z") })).toBe(false);
    expect(weeklySummaryOwed(week, { now: new Date("2026-11-30T07:59:59Z"), accountCreatedAt: new Date("2026-01-01T00:00:00Z") })).toBe(false);
  });

  it("accepts only Mondays as a week start", () => {
    expect(weekStartSchema.safeParse("2026-11-30").success).toBe(true);
    for (const text of ["2026-12-01", "2026-02-30", "30-11-2026", "2026-11-30T00:00"]) expect(weekStartSchema.safeParse(text).success).toBe(false);
  });
});

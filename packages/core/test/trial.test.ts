import { describe, expect, it } from "vitest";
import { trialDaysLeft } from "../src/billing/trial.ts";

const NOW = new Date("2026-05-01T12:00:00.000Z");
const at = (iso: string) => new Date(iso);

describe("trialDaysLeft", () => {
  it("is 3 for a trial that just started", () => {
    expect(trialDaysLeft({ plan: "trial", trialExpiresAt: at("2026-05-04T12:00:00.000Z") }, NOW)).toBe(3);
  });

  it("counts a started day as a whole day", () => {
    expect(trialDaysLeft({ plan: "trial", trialExpiresAt: at("2026-05-03T12:00:00.001Z") }, NOW)).toBe(3);
    expect(trialDaysLeft({ plan: "trial", trialExpiresAt: at("2026-05-01T14:00:00.000Z") }, NOW)).toBe(1);
  });

  it("is 0 at and after the expiry instant", () => {
    expect(trialDaysLeft({ plan: "trial", trialExpiresAt: NOW }, NOW)).toBe(0);
    expect(trialDaysLeft({ plan: "trial", trialExpiresAt: at("2026-04-20T00:00:00.000Z") }, NOW)).toBe(0);
  });

  it("is null without an expiry date", () => {
    expect(trialDaysLeft({ plan: "trial", trialExpiresAt: null }, NOW)).toBeNull();
  });

  it("is null on any plan other than the trial", () => {
    const future = at("2026-05-03T12:00:00.000Z");
    for (const plan of ["starter", "growth", "pro", "expired"]) {
      expect(trialDaysLeft({ plan, trialExpiresAt: future }, NOW)).toBeNull();
    }
  });
});

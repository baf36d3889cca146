import { describe, expect, it } from "vitest";
import { describePlan } from "../../app/plan-label.ts";

describe("describePlan", () => {
  it("counts down the trial", () => {
    expect(describePlan("trial", 3)).toBe("Trial: 3 days left");
    expect(describePlan("trial", 1)).toBe("Trial: 1 day left");
  });

  it("says when the trial has run out", () => {
    expect(describePlan("trial", 0)).toBe("Trial ended: choose a plan");
    expect(describePlan("trial", null)).toBe("Trial ended: choose a plan");
    expect(describePlan("expired", null)).toBe("Trial ended: choose a plan");
  });

  it("names paid plans", () => {
    expect(describePlan("starter", null)).toBe("Starter plan");
    expect(describePlan("growth", null)).toBe("Growth plan");
    expect(describePlan("pro", null)).toBe("Pro plan");
  });
});

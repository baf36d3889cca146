import { describe, expect, it } from "vitest";
import { DEFAULT_FOLLOW_UP_SETTINGS, type FollowUpSettings } from "../../src/followup/defaults.ts";
import { replanStep, STEP_REMOVED_REASON } from "../../src/followup/replan.ts";
import { createSeededRandom } from "../../src/random.ts";

const settings: FollowUpSettings = {
  ...DEFAULT_FOLLOW_UP_SETTINGS,
  quietHoursStart: "00:00",
  quietHoursEnd: "00:00",
  delayMinMinutes: 0,
  delayMaxMinutes: 0,
};
const sent = new Date("2026-06-10T10:00:00Z");

describe("replanStep", () => {
  it("moves a planned step to where the new sequence puts it, counted from the same messages", () => {
    const plan = (followUpStepsMinutes: number[], step: number) =>
      replanStep({ step, lastInboundAt: null, lastOutboundAt: sent, settings: { ...settings, followUpStepsMinutes }, leadTimeZone: null, random: createSeededRandom(1) });
    expect(plan([30, 120], 2)).toEqual({ action: "move", plannedAt: new Date("2026-06-10T11:30:00Z") });
    expect(plan([60, 1440, 4320], 2)).toEqual({ action: "move", plannedAt: new Date("2026-06-11T09:00:00Z") });
  });

  it("moves a step out of new quiet hours in the brand's new zone", () => {
    const quiet = { ...settings, followUpStepsMinutes: [60], quietHoursStart: "09:00", quietHoursEnd: "18:00", timezone: "Europe/Berlin" };
    const result = replanStep({ step: 1, lastInboundAt: null, lastOutboundAt: sent, settings: quiet, leadTimeZone: null, random: createSeededRandom(1) });
    // 11:00 UTC is 13:00 in Berlin (summer): quiet until 18:00 local = 16:00 UTC, plus up to 30 min.
    expect(result.action).toBe("move");
    const at = result.action === "move" ? result.plannedAt.getTime() : 0;
    expect(at).toBeGreaterThanOrEqual(Date.parse("2026-06-10T16:00:00Z"));
    expect(at).toBeLessThanOrEqual(Date.parse("2026-06-10T16:30:00Z"));
  });

  it("cancels a step the shorter sequence no longer has", () => {
    const result = replanStep({ step: 3, lastInboundAt: null, lastOutboundAt: sent, settings: { ...settings, followUpStepsMinutes: [60, 1440] }, leadTimeZone: null, random: createSeededRandom(1) });
    expect(result).toEqual({ action: "cancel", reason: STEP_REMOVED_REASON });
  });
});

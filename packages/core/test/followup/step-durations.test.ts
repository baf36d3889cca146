import { describe, expect, it } from "vitest";
import { formatStepDurations, parseStepDurations, stepMinutesProblem } from "../../src/followup/step-durations.ts";

describe("parseStepDurations", () => {
  it("reads the owner's shorthand into minutes after the last message", () => {
    expect(parseStepDurations("1h, 1d, 3d")).toEqual({ ok: true, minutes: [60, 1440, 4320] });
    expect(parseStepDurations(" 30m ,1d 12h,")).toEqual({ ok: true, minutes: [30, 2160] });
  });

  it("round-trips through the display form", () => {
    const minutes = [10, 90, 1440, 2190];
    expect(formatStepDurations(minutes)).toBe("10m, 1h 30m, 1d, 1d 12h 30m");
    expect(parseStepDurations(formatStepDurations(minutes))).toEqual({ ok: true, minutes });
  });

  it("names the piece it cannot read", () => {
    expect(parseStepDurations("1h, tomorrow")).toEqual({
      ok: false,
      error: '"tomorrow" is not a duration: write e.g. 30m, 2h or 3d, separated by commas.',
    });
    expect(parseStepDurations("2 hours")).toMatchObject({ ok: false });
  });

  it("enforces the sequence's limits with a message an owner can act on", () => {
    expect(parseStepDurations("")).toEqual({ ok: false, error: "Add at least one follow-up step." });
    expect(parseStepDurations("5m")).toEqual({ ok: false, error: "Step 1 (5m) is too soon: the shortest step is 10 minutes." });
    expect(parseStepDurations("31d")).toEqual({ ok: false, error: "Step 1 (31d) is too late: the longest step is 30 days." });
    expect(parseStepDurations("1d, 1h")).toEqual({ ok: false, error: "Step 2 (1h) must come after step 1 (1d)." });
    expect(parseStepDurations(Array.from({ length: 11 }, (_, i) => `${i + 1}h`).join(","))).toEqual({
      ok: false,
      error: "Use at most 10 follow-up steps.",
    });
  });

  it("checks stored minute lists by the same rules", () => {
    expect(stepMinutesProblem([60, 1440, 4320])).toBeNull();
    expect(stepMinutesProblem([60, 60])).toBe("Step 2 (1h) must come after step 1 (1h).");
    expect(stepMinutesProblem([10.5])).toBe("Step 1 (10.5m) must be a whole number of minutes.");
  });
});

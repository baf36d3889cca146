import { describe, expect, it } from "vitest";
import { DEFAULT_FOLLOW_UP_SETTINGS, type FollowUpSettings } from "../../src/followup/defaults.ts";
import { isInQuietHours } from "../../src/followup/quiet-hours.ts";
import { planStepTime, replyDelaySeconds, stepGapMinutes } from "../../src/followup/timing.ts";
import { createSeededRandom } from "../../src/random.ts";

const MINUTE = 60_000;
const at = (iso: string) => new Date(iso);
const NO_QUIET: FollowUpSettings = { ...DEFAULT_FOLLOW_UP_SETTINGS, quietHoursStart: "00:00", quietHoursEnd: "00:00" };

describe("replyDelaySeconds", () => {
  it("waits between 45 s and 4 min and uses the whole range", () => {
    const random = createSeededRandom(7);
    const delays = Array.from({ length: 2000 }, () => replyDelaySeconds(random));
    expect(Math.min(...delays)).toBe(45);
    expect(Math.max(...delays)).toBe(240);
    expect(new Set(delays).size).toBeGreaterThan(150);
  });
});

describe("stepGapMinutes", () => {
  it("turns ascending offsets into waits after the previous message", () => {
    expect([1, 2, 3].map((step) => stepGapMinutes(step, [60, 1440, 4320]))).toEqual([60, 1380, 2880]);
  });

  it("refuses steps outside the sequence", () => {
    expect(() => stepGapMinutes(0, [60])).toThrow(RangeError);
    expect(() => stepGapMinutes(2, [60])).toThrow(RangeError);
  });
});

describe("planStepTime", () => {
  it("keeps every step within anchor + gap + delay_min..delay_max when quiet hours are off", () => {
    const anchor = at("2026-06-10T10:00:00Z");
    for (let seed = 1; seed <= 300; seed += 1) {
      const random = createSeededRandom(seed);
      for (const step of [1, 2, 3]) {
        const planned = planStepTime({ step, lastInboundAt: null, lastOutboundAt: anchor, settings: NO_QUIET, leadTimeZone: null, random });
        const earliest = anchor.getTime() + (stepGapMinutes(step, NO_QUIET.followUpStepsMinutes) + NO_QUIET.delayMinMinutes) * MINUTE;
        const latest = anchor.getTime() + (stepGapMinutes(step, NO_QUIET.followUpStepsMinutes) + NO_QUIET.delayMaxMinutes) * MINUTE;
        expect(planned.getTime()).toBeGreaterThanOrEqual(earliest);
        expect(planned.getTime()).toBeLessThanOrEqual(latest);
      }
    }
  });

  it("counts from the later of the lead's last message and ours", () => {
    const settings = { ...NO_QUIET, delayMinMinutes: 10, delayMaxMinutes: 10 };
    const inbound = at("2026-06-10T10:00:00Z");
    const outbound = at("2026-06-10T10:03:00Z");
    const random = createSeededRandom(1);
    expect(planStepTime({ step: 1, lastInboundAt: inbound, lastOutboundAt: outbound, settings, leadTimeZone: null, random })).toEqual(
      at("2026-06-10T11:13:00Z"),
    );
    expect(planStepTime({ step: 1, lastInboundAt: outbound, lastOutboundAt: inbound, settings, leadTimeZone: null, random })).toEqual(
      at("2026-06-10T11:13:00Z"),
    );
  });

  it("never plans inside quiet hours, and otherwise stays in the jitter window", () => {
    const settings = DEFAULT_FOLLOW_UP_SETTINGS;
    let pushed = 0;
    for (let seed = 1; seed <= 300; seed += 1) {
      const random = createSeededRandom(seed);
      // Anchors spread over a whole day so many plans hit the night.
      const anchor = new Date(at("2026-06-10T00:00:00Z").getTime() + seed * 4.8 * MINUTE);
      const planned = planStepTime({ step: 1, lastInboundAt: anchor, lastOutboundAt: null, settings, leadTimeZone: "Europe/Berlin", random });
      expect(isInQuietHours(planned, { start: "21:00", end: "08:00" }, "Europe/Berlin")).toBe(false);
      const earliest = anchor.getTime() + (60 + settings.delayMinMinutes) * MINUTE;
      expect(planned.getTime()).toBeGreaterThanOrEqual(earliest);
      const latestUnpushed = anchor.getTime() + (60 + settings.delayMaxMinutes) * MINUTE;
      if (planned.getTime() > latestUnpushed) {
        pushed += 1;
        // Pushed out of quiet hours: 08:00-08:30 Berlin time (CEST = UTC+2).
        const minutesIntoDay = (planned.getTime() - at(planned.toISOString().slice(0, 10) + "T06:00:00Z").getTime()) / MINUTE;
        expect(minutesIntoDay).toBeGreaterThanOrEqual(0);
        expect(minutesIntoDay).toBeLessThanOrEqual(30);
      }
    }
    expect(pushed).toBeGreaterThan(100);
  });

  it("uses the lead's zone when known, else the brand's", () => {
    const settings = { ...DEFAULT_FOLLOW_UP_SETTINGS, timezone: "America/New_York", delayMinMinutes: 10, delayMaxMinutes: 10 };
    // Anchor 12:50 UTC -> planned 14:00 UTC: 10:00 in New York (fine), 23:00 in Tokyo (quiet).
    const input = { step: 1, lastInboundAt: at("2026-06-10T12:50:00Z"), lastOutboundAt: null, settings, random: () => 0 };
    expect(planStepTime({ ...input, leadTimeZone: null })).toEqual(at("2026-06-10T14:00:00Z"));
    expect(planStepTime({ ...input, leadTimeZone: "Asia/Tokyo" })).toEqual(at("2026-06-10T23:00:00Z"));
    expect(planStepTime({ ...input, leadTimeZone: "Not/AZone" })).toEqual(at("2026-06-10T14:00:00Z"));
  });

  it("refuses a step past the end of the sequence or a conversation without messages", () => {
    const random = createSeededRandom(3);
    const base = { lastInboundAt: at("2026-06-10T10:00:00Z"), lastOutboundAt: null, settings: NO_QUIET, leadTimeZone: null, random };
    expect(() => planStepTime({ ...base, step: 4 })).toThrow(RangeError);
    expect(() => planStepTime({ ...base, lastInboundAt: null, step: 1 })).toThrow(RangeError);
  });
});

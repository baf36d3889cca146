import { describe, expect, it } from "vitest";
import {
  buildOverview,
  buildSeries,
  emptyCounts,
  firstResponseBucket,
  FIRST_RESPONSE_BUCKET_COUNT,
  percentileFromHistogram,
  previousPeriod,
  resolveAnalyticsPeriod,
  type DayChannelFigures,
  type PeriodFigures,
} from "../../src/index.ts";

const MINUTE = 60;

/** A histogram of response times given in seconds. */
function histogramOf(seconds: number[]): number[] {
  const histogram = new Array<number>(FIRST_RESPONSE_BUCKET_COUNT).fill(0);
  for (const value of seconds) histogram[firstResponseBucket(value)] = (histogram[firstResponseBucket(value)] ?? 0) + 1;
  return histogram;
}

function row(date: string, channel: DayChannelFigures["channel"], counts: Partial<DayChannelFigures>): DayChannelFigures {
  return { ...emptyCounts(), firstResponses: [], date, channel, ...counts };
}

describe("time to first response", () => {
  it("reads p50 and p90 as the bucket holding the nearest-rank response", () => {
    // Ten leads: 4 answered within a minute, 3 within 5 min, 2 within 30 min, 1 after two days.
    const histogram = histogramOf([10, 20, 30, 59, 61, 200, 300, 1_000, 1_700, 2 * 86_400]);
    // Rank ceil(0.5 x 10) = 5: the fifth fastest is 61 s, in the <= 5 min bucket.
    expect(percentileFromHistogram(histogram, 0.5)).toEqual({ kind: "within", seconds: 5 * MINUTE });
    // Rank 9 is 1,700 s: <= 30 min.
    expect(percentileFromHistogram(histogram, 0.9)).toEqual({ kind: "within", seconds: 30 * MINUTE });
    // Rank 10 is the two-day answer: slower than the last bound (1 day).
    expect(percentileFromHistogram(histogram, 0.99)).toEqual({ kind: "over", seconds: 86_400 });
  });

  it("puts a response on a bucket's bound in that bucket, and says nothing for no responses", () => {
    expect(firstResponseBucket(60)).toBe(0);
    expect(firstResponseBucket(61)).toBe(1);
    expect(percentileFromHistogram(histogramOf([]), 0.5)).toBeNull();
    expect(percentileFromHistogram(histogramOf([600]), 0.9)).toEqual({ kind: "within", seconds: 10 * MINUTE });
  });
});

describe("the overview's figures", () => {
  const current = (() => {
    const result = resolveAnalyticsPeriod({ from: "2026-03-28", to: "2026-03-30" }, { now: new Date("2026-04-01T12:00:00Z"), timeZone: "Europe/Berlin" });
    if (!result.ok) throw new Error(result.problem);
    return result.period;
  })();
  const before = previousPeriod(current);

  const currentFigures: PeriodFigures = {
    days: [
      row("2026-03-28", "instagram", { newLeads: 3, messagesIn: 5, messagesOut: 4, aiReplies: 3, aiFollowUps: 1, firstResponses: histogramOf([600, 900, 1_200]) }),
      row("2026-03-29", "whatsapp", { newLeads: 1, messagesIn: 2, messagesOut: 2, aiReplies: 1, aiFollowUps: 1, optOuts: 1, deliveryProblems: 1, firstResponses: histogramOf([3_000]) }),
      row("2026-03-30", "instagram", { conversions: 2, messagesIn: 1 }),
    ],
    // Step 0 (replies): 4 sent, 3 answered. Step 1: 2 sent, 1 answered (the lead who wrote twice after it counts once).
    steps: [
      { step: 0, sent: 3, answered: 2 },
      { step: 0, sent: 1, answered: 1 },
      { step: 1, sent: 2, answered: 1 },
    ],
    conversionValues: [
      { currency: "EUR", valueMinor: 12_000 },
      { currency: "EUR", valueMinor: 4_950 },
      { currency: "USD", valueMinor: 1_000 },
    ],
  };
  const previousFigures: PeriodFigures = {
    days: [row("2026-03-26", "email", { newLeads: 2, messagesIn: 2, messagesOut: 1, aiReplies: 1, conversions: 1, firstResponses: histogramOf([120, 7_000]) })],
    steps: [{ step: 0, sent: 1, answered: 0 }],
    conversionValues: [{ currency: "EUR", valueMinor: 5_000 }],
  };

  const overview = buildOverview({ period: current, previousPeriod: before, current: currentFigures, previous: previousFigures, waitingForOwner: 2 });

  it("adds the days and channels of each period and compares them", () => {
    expect(overview.period).toEqual({ from: "2026-03-28", to: "2026-03-30", timeZone: "Europe/Berlin" });
    expect(overview.previousPeriod).toEqual({ from: "2026-03-25", to: "2026-03-27" });
    expect(overview.counts.newLeads).toEqual({ current: 4, previous: 2, comparison: { direction: "up", difference: 2, relative: 1 } });
    expect(overview.counts.messagesIn.current).toBe(8);
    expect(overview.counts.messagesOut).toMatchObject({ current: 6, previous: 1 });
    expect(overview.counts.aiReplies.current).toBe(4);
    expect(overview.counts.aiFollowUps).toMatchObject({ current: 2, previous: 0, comparison: { direction: "up", difference: 2, relative: null } });
    expect(overview.counts.conversions).toMatchObject({ current: 2, previous: 1 });
    expect(overview.counts.deliveryProblems.current).toBe(1);
    expect(overview.waitingForOwner).toBe(2);
    expect(overview.hasData).toBe(true);
  });

  it("computes the rates from the period's own counts", () => {
    // 3 + 1 of 6 AI messages answered; before: 0 of 1.
    expect(overview.rates.reply.current).toBeCloseTo(4 / 6);
    expect(overview.rates.reply.previous).toBe(0);
    expect(overview.rates.reply.comparison?.direction).toBe("up");
    // 2 conversions / 4 new leads; before 1 / 2.
    expect(overview.rates.conversion).toMatchObject({ current: 0.5, previous: 0.5, comparison: { direction: "same", difference: 0 } });
    expect(overview.rates.optOut).toMatchObject({ current: 0.25, previous: 0 });
  });

  it("gives p50 and p90 of first responses, and conversion value per currency", () => {
    // 600, 900, 1,200, 3,000 s: rank 2 -> 900 s (<= 15 min); rank 4 -> 3,000 s (<= 1 h).
    expect(overview.firstResponse.p50).toEqual({ current: { kind: "within", seconds: 900 }, previous: { kind: "within", seconds: 300 } });
    expect(overview.firstResponse.p90.current).toEqual({ kind: "within", seconds: 3_600 });
    expect(overview.conversionValues).toEqual([
      { currency: "EUR", current: 16_950, previous: 5_000 },
      { currency: "USD", current: 1_000, previous: 0 },
    ]);
  });

  it("says 'no data' for a new account instead of rates of 0 %", () => {
    const empty = { days: [], steps: [], conversionValues: [] };
    const blank = buildOverview({ period: current, previousPeriod: before, current: empty, previous: empty, waitingForOwner: 0 });
    expect(blank.hasData).toBe(false);
    expect(blank.rates.reply).toEqual({ current: null, previous: null, comparison: null });
    expect(blank.firstResponse.p50).toEqual({ current: null, previous: null });
    expect(blank.counts.newLeads).toEqual({ current: 0, previous: 0, comparison: { direction: "same", difference: 0, relative: null } });
  });

  it("draws every day of the period, quiet ones as zero, and the reply rate per step", () => {
    const series = buildSeries(current, currentFigures);
    expect(series.daily.map((point) => [point.date, point.newLeads, point.messagesIn])).toEqual([
      ["2026-03-28", 3, 5],
      ["2026-03-29", 1, 2],
      ["2026-03-30", 0, 1],
    ]);
    expect(series.newLeadsByChannel[1]).toEqual({ date: "2026-03-29", instagram: 0, whatsapp: 1, email: 0, sandbox: 0 });
    expect(series.replyRateByStep).toEqual([
      { step: 0, sent: 4, answered: 3, rate: 0.75 },
      { step: 1, sent: 2, answered: 1, rate: 0.5 },
    ]);
  });
});

import { describe, expect, it } from "vitest";
import { createRefreshCoalescer, type CoalescerClock } from "../../app/live/refresh-coalescer.ts";

/** A hand-driven clock: timers run only when the test advances time. */
function manualClock() {
  let now = 0;
  let nextId = 0;
  const timers = new Map<number, { at: number; run: () => void }>();
  const clock: CoalescerClock = {
    now: () => now,
    setTimeout: (run, ms) => {
      nextId += 1;
      timers.set(nextId, { at: now + ms, run });
      return nextId;
    },
    clearTimeout: (handle) => void timers.delete(handle as number),
  };
  const advanceTo = (time: number) => {
    for (;;) {
      const due = [...timers.entries()].filter(([, timer]) => timer.at <= time).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      timers.delete(due[0]);
      now = due[1].at;
      due[1].run();
    }
    now = time;
  };
  return { clock, advanceTo };
}

function setUp() {
  const { clock, advanceTo } = manualClock();
  const refreshedAt: number[] = [];
  const coalescer = createRefreshCoalescer({ refresh: () => refreshedAt.push(clock.now()), settleMs: 250, minIntervalMs: 2_000, clock });
  return { coalescer, advanceTo, refreshedAt };
}

describe("live refresh coalescing", () => {
  it("turns a burst of a hundred events into one refresh after the burst settles", () => {
    const { coalescer, advanceTo, refreshedAt } = setUp();
    for (let i = 0; i < 100; i += 1) coalescer.request();
    advanceTo(10_000);
    expect(refreshedAt).toEqual([250]);
  });

  it("refreshes at most once every two seconds while events keep arriving, and serves the last one", () => {
    const { coalescer, advanceTo, refreshedAt } = setUp();
    // An event every 100 ms for five seconds (the old hook reloaded the page four times a second).
    for (let time = 0; time <= 5_000; time += 100) {
      advanceTo(time);
      coalescer.request();
    }
    advanceTo(20_000);
    expect(refreshedAt).toEqual([250, 2_250, 4_250, 6_250]);
  });

  it("refreshes 250 ms after a lone event that comes long after the last refresh", () => {
    const { coalescer, advanceTo, refreshedAt } = setUp();
    coalescer.request();
    advanceTo(9_000);
    coalescer.request();
    advanceTo(20_000);
    expect(refreshedAt).toEqual([250, 9_250]);
  });

  it("runs nothing after cancel (the page went away)", () => {
    const { coalescer, advanceTo, refreshedAt } = setUp();
    coalescer.request();
    coalescer.cancel();
    advanceTo(10_000);
    expect(refreshedAt).toEqual([]);
  });
});

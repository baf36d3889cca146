/** The timer functions the coalescer uses: the browser's in the app, a test's own clock in tests. */
export interface CoalescerClock {
  now(): number;
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface RefreshCoalescerOptions {
  refresh: () => void;
  /** How long after the first event of a burst the refresh runs, so the burst's events ride one refresh. */
  settleMs: number;
  /** The least time between two refreshes, however many events keep arriving. */
  minIntervalMs: number;
  clock: CoalescerClock;
}

export interface RefreshCoalescer {
  /** Something changed: refresh soon (settleMs), or once minIntervalMs has passed since the last refresh. */
  request(): void;
  /** Drops a refresh that has not run yet (the page went away). */
  cancel(): void;
}

/**
 * Turns a stream of change events into few refreshes: one per burst, and at most one every
 * `minIntervalMs` while events keep coming. The last event is never lost: a request that arrives
 * during the quiet interval is served when it ends.
 */
export function createRefreshCoalescer({ refresh, settleMs, minIntervalMs, clock }: RefreshCoalescerOptions): RefreshCoalescer {
  let timer: unknown = null;
  let lastRefreshAt = Number.NEGATIVE_INFINITY;

  return {
    request() {
      if (timer !== null) return;
      const wait = Math.max(settleMs, lastRefreshAt + minIntervalMs - clock.now());
      timer = clock.setTimeout(() => {
        timer = null;
        lastRefreshAt = clock.now();
        refresh();
      }, wait);
    },
    cancel() {
      if (timer !== null) clock.clearTimeout(timer);
      timer = null;
    },
  };
}

/** How a bounded run ended. */
export interface BoundedRun {
  /** Items taken from the source. */
  started: number;
  /** True when the time cap stopped the run before the source ran dry. */
  timedOut: boolean;
}

/**
 * Runs `work` on each item of `items` with at most `concurrency` in flight, taking no new item
 * after `deadline` (ms since the epoch): a load generator that can neither flood the machine nor
 * run forever.
 */
export async function runBounded<T>(
  items: Iterable<T>,
  options: { concurrency: number; deadline: number },
  work: (item: T) => Promise<void>,
): Promise<BoundedRun> {
  const source = items[Symbol.iterator]();
  let started = 0;
  let timedOut = false;
  const lane = async () => {
    for (;;) {
      if (Date.now() > options.deadline) {
        timedOut = true;
        return;
      }
      const next = source.next();
      if (next.done) return;
      started += 1;
      await work(next.value);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, lane));
  return { started, timedOut };
}

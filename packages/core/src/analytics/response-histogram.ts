// Time to first response (a new lead's first message -> the first message back, AI or owner) is
// kept as counts per bucket, so percentiles come from sums of rollups rather than a scan of messages.

/**
 * Upper bounds (seconds, inclusive) of the buckets; one more bucket holds everything slower. The AI
 * waits 10-120 minutes by default (brand settings), so the buckets are finest there. The rollup SQL
 * receives this list as a parameter: the boundaries live only here.
 */
export const FIRST_RESPONSE_BUCKET_BOUNDS_SECONDS: readonly number[] = [
  60, 300, 600, 900, 1_800, 2_700, 3_600, 5_400, 7_200, 10_800, 14_400, 28_800, 86_400,
];

/** Buckets in a histogram: one per bound plus the open-ended last one. */
export const FIRST_RESPONSE_BUCKET_COUNT = FIRST_RESPONSE_BUCKET_BOUNDS_SECONDS.length + 1;

/** The bucket a response time falls in (0-based). */
export function firstResponseBucket(seconds: number): number {
  const index = FIRST_RESPONSE_BUCKET_BOUNDS_SECONDS.findIndex((bound) => seconds <= bound);
  return index === -1 ? FIRST_RESPONSE_BUCKET_BOUNDS_SECONDS.length : index;
}

/** Adds histograms bucket by bucket (days, channels). */
export function addHistograms(histograms: readonly (readonly number[])[]): number[] {
  const total = new Array<number>(FIRST_RESPONSE_BUCKET_COUNT).fill(0);
  for (const histogram of histograms) {
    histogram.forEach((count, index) => {
      if (index < total.length) total[index] = (total[index] ?? 0) + count;
    });
  }
  return total;
}

export type PercentileBound =
  /** At most `seconds`: the upper bound of the bucket the percentile falls in. */
  | { kind: "within"; seconds: number }
  /** Slower than the last bound. */
  | { kind: "over"; seconds: number };

/**
 * The `fraction` percentile (0.5 for p50) of a histogram, as the bound of the bucket holding the
 * nearest-rank observation (the ceil(fraction x n)-th fastest); null when it is empty. A bucket
 * bound is what the rollup knows, so the tile says "within 15 min", not a made-up exact figure.
 */
export function percentileFromHistogram(histogram: readonly number[], fraction: number): PercentileBound | null {
  const total = histogram.reduce((sum, count) => sum + count, 0);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(fraction * total));
  let seen = 0;
  for (const [index, count] of histogram.entries()) {
    seen += count;
    if (seen < rank) continue;
    const bound = FIRST_RESPONSE_BUCKET_BOUNDS_SECONDS[index];
    return bound === undefined ? { kind: "over", seconds: FIRST_RESPONSE_BUCKET_BOUNDS_SECONDS.at(-1) as number } : { kind: "within", seconds: bound };
  }
  return null;
}

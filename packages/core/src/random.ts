/** A source of uniform numbers in [0, 1): Math.random in production, a seeded generator in tests. */
export type RandomSource = () => number;

/**
 * mulberry32: a tiny, fast, seedable generator. Good enough for jitter and sampling; never use it
 * for anything secret.
 */
export function createSeededRandom(seed: number): RandomSource {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A whole number in [min, max] (both inclusive) drawn from `random`. */
export function randomIntInclusive(random: RandomSource, min: number, max: number): number {
  const low = Math.ceil(Math.min(min, max));
  const high = Math.floor(Math.max(min, max));
  // Clamp guards against a source that returns exactly 1 (outside its contract).
  return Math.min(high, low + Math.floor(random() * (high - low + 1)));
}

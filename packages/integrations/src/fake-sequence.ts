/**
 * Ids and timestamps for a fake: the same seed gives the same payloads, so tests can name ids in
 * advance and sandbox sessions or benchmarks with different seeds never collide.
 */
export interface FakeSequence {
  /** 1, 2, 3, ... */
  next(): number;
  /** An opaque id shaped like `prefix` + base64url, unique per seed and counter. */
  id(prefix: string, n: number): string;
  /** Milliseconds of the n-th event: one second apart from the start. */
  at(n: number): number;
}

export function fakeSequence(seed: string, startAt: Date): FakeSequence {
  let counter = 0;
  return {
    next: () => (counter += 1),
    id: (prefix, n) => `${prefix}${Buffer.from(`${seed}:${n}`).toString("base64url")}`,
    at: (n) => startAt.getTime() + n * 1000,
  };
}

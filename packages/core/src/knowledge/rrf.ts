import { RRF_K } from "./limits.ts";

export interface FusedResult {
  id: string;
  /** Sum over the rankings of 1 / (k + rank), rank counted from 1. */
  score: number;
}

/**
 * Reciprocal rank fusion: merges ranked lists of ids by rank alone, so rankers with incomparable
 * scores (ts_rank, cosine distance) combine without calibration. An id ranked by several lists
 * adds up; ties keep the order in which ids were first seen.
 */
export function fuseRankings(rankings: ReadonlyArray<readonly string[]>, k: number = RRF_K): FusedResult[] {
  const scores = new Map<string, number>();
  for (const ranking of rankings) {
    const seen = new Set<string>();
    ranking.forEach((id, index) => {
      if (seen.has(id)) return;
      seen.add(id);
      scores.set(id, (scores.get(id) ?? 0) + 1 / (k + index + 1));
    });
  }
  return [...scores].map(([id, score]) => ({ id, score })).sort((a, b) => b.score - a.score);
}

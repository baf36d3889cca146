/** Turns texts into embedding vectors (an OpenAI-compatible /v1/embeddings, or a test double). */
export interface Embedder {
  /** Recorded with the chunks: a change of model means a re-index. */
  readonly model: string;
  readonly dimensions: number;
  /** One vector per input, in input order; rejects with EmbeddingError. */
  embed(texts: readonly string[]): Promise<number[][]>;
}

export type EmbeddingFailure = "unauthorized" | "rate_limited" | "unavailable" | "bad_response";

/** Our words for why embedding failed; the vendor's text is never carried. */
export class EmbeddingError extends Error {
  readonly reason: EmbeddingFailure;
  constructor(reason: EmbeddingFailure) {
    super(`embedding failed: ${reason}`);
    this.reason = reason;
    this.name = "EmbeddingError";
  }
}

import { EmbeddingError, type Embedder } from "@audnix/core";
import OpenAI from "openai";
import { createOpenAiClient, type OpenAiConnection } from "./openai-client.ts";

export interface OpenAiEmbedderOptions extends OpenAiConnection {
  /** Default text-embedding-3-small. */
  model?: string;
  /** Default 1536 (text-embedding-3-small's width, and the pgvector column's). */
  dimensions?: number;
}

export const DEFAULT_EMBEDDING_MODEL = "text-embedding-3-small";
export const DEFAULT_EMBEDDING_DIMENSIONS = 1536;

export function createOpenAiEmbedder(options: OpenAiEmbedderOptions): Embedder {
  const model = options.model ?? DEFAULT_EMBEDDING_MODEL;
  const dimensions = options.dimensions ?? DEFAULT_EMBEDDING_DIMENSIONS;
  const client = createOpenAiClient(options, 30_000);
  return {
    model,
    dimensions,
    async embed(texts) {
      if (!texts.length) return [];
      let data: Array<{ index: number; embedding: unknown }>;
      try {
        // float, not the SDK's default base64: OpenAI-compatible servers do not all speak base64.
        ({ data } = await client.embeddings.create({ model, input: [...texts], dimensions, encoding_format: "float" }));
      } catch (error) {
        throw toEmbeddingError(error);
      }
      const vectors = new Array<number[]>(texts.length);
      for (const item of data) {
        const vector = item.embedding;
        if (!Array.isArray(vector) || vector.length !== dimensions || !vector.every((v) => typeof v === "number" && Number.isFinite(v))) {
          throw new EmbeddingError("bad_response");
        }
        vectors[item.index] = vector as number[];
      }
      if (data.length !== texts.length || vectors.some((vector) => vector === undefined)) throw new EmbeddingError("bad_response");
      return vectors;
    },
  };
}

// From the status only: vendor messages can quote the key.
function toEmbeddingError(error: unknown): EmbeddingError {
  if (error instanceof OpenAI.APIError && typeof error.status === "number") {
    if (error.status === 401 || error.status === 403) return new EmbeddingError("unauthorized");
    if (error.status === 429) return new EmbeddingError("rate_limited");
    if (error.status === 400 || error.status === 404) return new EmbeddingError("bad_response");
  }
  return new EmbeddingError("unavailable");
}

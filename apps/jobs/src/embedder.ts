import type { Embedder } from "@audnix/core";
import { createOpenAiEmbedder } from "@audnix/integrations";
import type { JobsEnv } from "./env.ts";

/** Knowledge embeddings through the same OpenAI-compatible server as replies; none without a key. */
export function embedderFromEnv(
  env: Pick<JobsEnv, "OPENAI_API_KEY" | "OPENAI_BASE_URL" | "OPENAI_EMBEDDING_MODEL" | "OPENAI_EMBEDDING_DIMENSIONS">,
): Embedder | null {
  if (!env.OPENAI_API_KEY) return null;
  return createOpenAiEmbedder({
    apiKey: env.OPENAI_API_KEY,
    model: env.OPENAI_EMBEDDING_MODEL,
    dimensions: env.OPENAI_EMBEDDING_DIMENSIONS,
    ...(env.OPENAI_BASE_URL ? { baseURL: env.OPENAI_BASE_URL } : {}),
  });
}

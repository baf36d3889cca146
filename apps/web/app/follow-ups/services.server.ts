import type { Embedder, TextGenerator } from "@audnix/core";
import { createOpenAiEmbedder, createOpenAiGenerator } from "@audnix/integrations";
import { getEnv } from "../env.server.ts";

export interface FollowUpServices {
  generator: TextGenerator | null;
  voiceNotesAvailable: boolean;
  /** Embeds knowledge queries (preview grounding, "Try a question"); null without a key: full text only. */
  embedder: Embedder | null;
}

let cached: FollowUpServices | undefined;

/**
 * What the tRPC context needs for follow-up previews and settings, built once per process from
 * the environment. Without OPENAI_API_KEY the preview comes from the sandbox composer.
 */
export function followUpServices(): FollowUpServices {
  if (cached) return cached;
  const env = getEnv();
  const generator = env.OPENAI_API_KEY
    ? createOpenAiGenerator({ apiKey: env.OPENAI_API_KEY, baseURL: env.OPENAI_BASE_URL, model: env.OPENAI_MODEL })
    : null;
  const embedder = env.OPENAI_API_KEY
    ? createOpenAiEmbedder({
        apiKey: env.OPENAI_API_KEY,
        model: env.OPENAI_EMBEDDING_MODEL,
        dimensions: env.OPENAI_EMBEDDING_DIMENSIONS,
        ...(env.OPENAI_BASE_URL ? { baseURL: env.OPENAI_BASE_URL } : {}),
      })
    : null;
  cached = { generator, voiceNotesAvailable: env.ENABLE_VOICE, embedder };
  return cached;
}

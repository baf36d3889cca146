import type { TextGenerator } from "@audnix/core";
import { createOpenAiGenerator } from "@audnix/integrations";
import { getEnv } from "../env.server.ts";

export interface FollowUpServices {
  generator: TextGenerator | null;
  voiceNotesAvailable: boolean;
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
  cached = { generator, voiceNotesAvailable: env.ENABLE_VOICE };
  return cached;
}

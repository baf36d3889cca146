import { GenerationError, type ChatPrompt, type GenerateOptions, type TextGenerator } from "@audnix/core";
import OpenAI from "openai";
import { createOpenAiClient, OPENAI_BASE_URL, type OpenAiConnection } from "./openai-client.ts";

export interface OpenAiGeneratorOptions extends OpenAiConnection {
  model: string;
}
// A follow-up should sound human: some variety. A classification must be repeatable; a summary
// should stay with what was said.
const TEMPERATURE: Record<GenerateOptions["purpose"], number> = { reply: 0.7, classify: 0, summarize: 0.2 };

export function createOpenAiGenerator(options: OpenAiGeneratorOptions): TextGenerator {
  const baseURL = options.baseURL ?? OPENAI_BASE_URL;
  // OpenAI deprecated max_tokens (its reasoning models reject it); local OpenAI-compatible servers
  // (llama.cpp, Ollama, older vLLM) only know max_tokens.
  const useMaxTokens = !isOpenAi(baseURL);
  const client = createOpenAiClient(options, 20_000);
  return {
    async generate(prompt: ChatPrompt, generateOptions: GenerateOptions): Promise<string> {
      let content: string | null | undefined;
      try {
        const completion = await client.chat.completions.create({
          model: options.model,
          messages: [{ role: "system", content: prompt.system }, ...prompt.turns.map((turn) => ({ role: turn.role, content: turn.content }))],
          temperature: TEMPERATURE[generateOptions.purpose],
          // Structured outputs: a strict schema makes the model answer that JSON object and nothing else.
          ...(generateOptions.responseSchema
            ? {
                response_format: {
                  type: "json_schema" as const,
                  json_schema: { name: generateOptions.responseSchema.name, schema: generateOptions.responseSchema.schema, strict: true },
                },
              }
            : {}),
          ...(useMaxTokens ? { max_tokens: generateOptions.maxOutputTokens } : { max_completion_tokens: generateOptions.maxOutputTokens }),
        });
        const choice = completion.choices[0];
        // A structured-output refusal comes instead of content (OpenAI's "refusal" field): the same
        // request would be refused again.
        if (choice?.message.refusal) throw new GenerationError("the model refused to answer", false);
        content = choice?.message.content;
      } catch (error) {
        if (error instanceof GenerationError) throw error;
        throw toGenerationError(error);
      }
      const text = content?.trim();
      if (!text) throw new GenerationError("the model returned an empty answer", false);
      return text;
    },
  };
}

function isOpenAi(baseURL: string): boolean {
  return new URL(baseURL).hostname === "api.openai.com";
}

// Built from the status and the vendor's error code only: vendor messages can quote the key
// ("Incorrect API key provided: sk-...").
function toGenerationError(error: unknown): GenerationError {
  if (error instanceof OpenAI.APIConnectionTimeoutError) return new GenerationError("the model request timed out", true);
  if (error instanceof OpenAI.APIConnectionError) return new GenerationError("the model server could not be reached", true);
  if (error instanceof OpenAI.APIError && typeof error.status === "number") {
    const code = typeof error.code === "string" && /^[\w.-]{1,64}$/.test(error.code) ? ` (${error.code})` : "";
    const retryable = error.status === 408 || error.status === 409 || error.status === 429 || error.status >= 500;
    return new GenerationError(`the model server answered HTTP ${error.status}${code}`, retryable);
  }
  return new GenerationError("the model request failed", false);
}

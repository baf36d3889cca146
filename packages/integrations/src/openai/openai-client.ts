import OpenAI from "openai";

/** What every OpenAI-compatible call of ours needs to reach its server. */
export interface OpenAiConnection {
  apiKey: string;
  /** Any OpenAI-compatible server; default OpenAI itself. */
  baseURL?: string;
  timeoutMs?: number;
  /** Retries the SDK makes itself (429, 5xx, connection errors) before we give up. */
  maxRetries?: number;
  fetch?: typeof fetch;
}

export const OPENAI_BASE_URL = "https://api.openai.com/v1";

/**
 * The SDK client, with everything passed explicitly: the SDK would otherwise read OPENAI_*
 * variables itself, and configuration comes only through the apps' env modules.
 */
export function createOpenAiClient(connection: OpenAiConnection, defaultTimeoutMs: number): OpenAI {
  return new OpenAI({
    apiKey: connection.apiKey,
    baseURL: connection.baseURL ?? OPENAI_BASE_URL,
    organization: null,
    project: null,
    adminAPIKey: null,
    webhookSecret: null,
    timeout: connection.timeoutMs ?? defaultTimeoutMs,
    maxRetries: connection.maxRetries ?? 2,
    ...(connection.fetch ? { fetch: connection.fetch } : {}),
  });
}

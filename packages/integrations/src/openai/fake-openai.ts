import type { IncomingMessage, ServerResponse } from "node:http";
import { hashedBagOfWords } from "@audnix/core";
import { z } from "zod";
import { failureScript, listenFake, readJsonBody, sendJson, type ScriptedFailure } from "../fake-http.ts";
import { recordTestSecret } from "../testing/log-audit.ts";

// The slice of the OpenAI API the product calls: POST /v1/chat/completions (with structured outputs'
// response_format) and /v1/embeddings with Bearer auth, answering chat.completion and embedding list
// objects and OpenAI's error envelope.
// Embeddings are hashed bags of words (core's hashedBagOfWords): deterministic, so hybrid search
// is testable end to end. Serves tests and sandbox mode
// (point OPENAI_BASE_URL at `${url}/v1`).

export interface FakeChatRequest {
  model: string;
  messages: Array<{ role: string; content: string }>;
  temperature?: number;
  max_tokens?: number;
  max_completion_tokens?: number;
  /** Structured outputs (https://platform.openai.com/docs/guides/structured-outputs): the answer is JSON text. */
  response_format?: FakeResponseFormat;
  [field: string]: unknown;
}

export type FakeResponseFormat =
  | { type: "text" }
  | { type: "json_object" }
  | { type: "json_schema"; json_schema: { name: string; description?: string; schema?: Record<string, unknown>; strict?: boolean | null } };

export interface FakeOpenAiOptions {
  /** The only key accepted; default FAKE_OPENAI_API_KEY. */
  apiKey?: string;
  /** The assistant's answer; default defaultFakeReply. */
  reply?: (request: FakeChatRequest) => string;
  /** A refusal to answer instead (structured outputs' message.refusal, content null), when it returns text. */
  refusal?: (request: FakeChatRequest) => string | null;
  port?: number;
  now?: () => Date;
}

export interface FakeOpenAi {
  /** Server root; the SDK's baseURL is `${url}/v1`. */
  url: string;
  /** Bodies of the authorized chat completion requests, in arrival order (failed ones included). */
  requests: FakeChatRequest[];
  /** Bodies of the authorized embeddings requests, in arrival order (failed ones included). */
  embeddingRequests: FakeEmbeddingRequest[];
  /** The next `times` authorized requests answer with this (429 with retry-after, 500, ...). */
  failNext(failure: ScriptedFailure, times?: number): void;
  /** The next `times` authorized requests never answer, as a hung upstream does. */
  stallNext(times?: number): void;
  close(): Promise<void>;
}

export interface FakeEmbeddingRequest {
  model: string;
  input: string | string[];
  dimensions?: number;
  encoding_format?: "float" | "base64";
}

/** text-embedding-3-small's width, answered when a request names no dimensions. */
const FAKE_EMBEDDING_DIMENSIONS = 1536;

const embeddingRequestSchema = z.looseObject({
  model: z.string().min(1),
  input: z.union([z.string(), z.array(z.string()).min(1).max(2048)]),
  dimensions: z.number().int().min(1).max(3072).optional(),
  encoding_format: z.enum(["float", "base64"]).optional(),
});

export const FAKE_OPENAI_API_KEY = "sk-fake-openai-audnix-sandbox";

const chatRequestSchema = z.looseObject({
  model: z.string().min(1),
  messages: z.array(z.looseObject({ role: z.enum(["system", "developer", "user", "assistant"]), content: z.string() })).min(1),
  temperature: z.number().min(0).max(2).optional(),
  max_tokens: z.number().int().positive().optional(),
  max_completion_tokens: z.number().int().positive().optional(),
  // The documented response_format shapes; a json_schema's name is what OpenAI accepts.
  response_format: z
    .discriminatedUnion("type", [
      z.looseObject({ type: z.literal("text") }),
      z.looseObject({ type: z.literal("json_object") }),
      z.looseObject({
        type: z.literal("json_schema"),
        json_schema: z.looseObject({
          name: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
          description: z.string().optional(),
          schema: z.record(z.string(), z.unknown()).optional(),
          strict: z.boolean().nullable().optional(),
        }),
      }),
    ])
    .optional(),
});

export async function startFakeOpenAi(options: FakeOpenAiOptions = {}): Promise<FakeOpenAi> {
  const apiKey = options.apiKey ?? FAKE_OPENAI_API_KEY;
  recordTestSecret(apiKey);
  const reply = options.reply ?? defaultFakeReply;
  const now = options.now ?? (() => new Date());
  const requests: FakeChatRequest[] = [];
  const embeddingRequests: FakeEmbeddingRequest[] = [];
  const failures = failureScript();
  let stalls = 0;
  let completions = 0;

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? "/", "http://127.0.0.1").pathname;
    if (request.method !== "POST" || (path !== "/v1/chat/completions" && path !== "/v1/embeddings")) {
      return openAiError(response, 404, `Invalid URL (${request.method} ${path})`, "invalid_request_error", null);
    }
    const presented = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? "")?.[1];
    if (presented !== apiKey) {
      const shown = presented ? `${presented.slice(0, 4)}****${presented.slice(-4)}` : "";
      return openAiError(response, 401, `Incorrect API key provided: ${shown}.`, "invalid_request_error", "invalid_api_key");
    }
    if (path === "/v1/embeddings") return handleEmbeddings(request, response);
    const parsed = chatRequestSchema.safeParse(await readJsonBody(request));
    if (!parsed.success) {
      return openAiError(response, 400, "We could not parse the JSON body of your request.", "invalid_request_error", null);
    }
    const body = parsed.data as FakeChatRequest;
    requests.push(body);
    if (stalls > 0) {
      stalls -= 1;
      return;
    }
    const failure = failures.next();
    if (failure) return sendJson(response, failure.status, failure.body ?? defaultErrorBody(failure.status), failure.headers);
    completions += 1;
    const refusal = options.refusal?.(body) ?? null;
    const content = refusal === null ? reply(body) : "";
    const promptTokens = Math.ceil(body.messages.reduce((sum, message) => sum + message.content.length, 0) / 4);
    const completionTokens = Math.ceil(content.length / 4);
    sendJson(response, 200, {
      id: `chatcmpl-fake${String(completions).padStart(6, "0")}`,
      object: "chat.completion",
      created: Math.floor(now().getTime() / 1000),
      model: body.model,
      choices: [
        { index: 0, message: { role: "assistant", content: refusal === null ? content : null, refusal }, logprobs: null, finish_reason: "stop" },
      ],
      usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
    });
  }

  async function handleEmbeddings(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const parsed = embeddingRequestSchema.safeParse(await readJsonBody(request));
    if (!parsed.success) {
      return openAiError(response, 400, "We could not parse the JSON body of your request.", "invalid_request_error", null);
    }
    const body = parsed.data as FakeEmbeddingRequest;
    embeddingRequests.push(body);
    if (stalls > 0) {
      stalls -= 1;
      return;
    }
    const failure = failures.next();
    if (failure) return sendJson(response, failure.status, failure.body ?? defaultErrorBody(failure.status), failure.headers);
    const inputs = typeof body.input === "string" ? [body.input] : body.input;
    const dimensions = body.dimensions ?? FAKE_EMBEDDING_DIMENSIONS;
    const tokens = Math.ceil(inputs.reduce((sum, input) => sum + input.length, 0) / 4);
    sendJson(response, 200, {
      object: "list",
      data: inputs.map((input, index) => {
        const vector = hashedBagOfWords(input, dimensions);
        const embedding = body.encoding_format === "base64" ? Buffer.from(new Float32Array(vector).buffer).toString("base64") : vector;
        return { object: "embedding", index, embedding };
      }),
      model: body.model,
      usage: { prompt_tokens: tokens, total_tokens: tokens },
    });
  }

  const server = await listenFake(options.port, handle);
  return {
    url: server.url,
    requests,
    embeddingRequests,
    failNext: (failure, times) => failures.add(failure, times),
    stallNext(times = 1) {
      stalls += times;
    },
    close: server.close,
  };
}

/**
 * What the fake answers by default, read off the prompts core builds: the one-word verdict an
 * opt-out classification asks for (the opt-out word only when the lead plainly says stop), else a
 * short reply that greets the lead by the first name the prompt gives and ends with the disclosure
 * line when the prompt demands one.
 */
export function defaultFakeReply(request: FakeChatRequest): string {
  const system = request.messages.find((message) => message.role === "system")?.content ?? "";
  const verdicts = /answer with exactly one word:\s*(\w+) if they ask to stop,\s*(\w+) otherwise/i.exec(system);
  if (verdicts) {
    const lastUser = request.messages.findLast((message) => message.role === "user")?.content ?? "";
    return /\b(stop|unsubscribe|leave me alone|remove me|bother(?:ing)?)\b/i.test(lastUser) ? (verdicts[1] ?? "") : (verdicts[2] ?? "");
  }
  const name = /first name(?:\s+is|,|:)\s*"?([^";.\n]+?)"?\s*(?:[;.]|$)/im.exec(system)?.[1]?.trim();
  const disclosure = /end the message with this line, exactly:\s*(.+)$/im.exec(system)?.[1]?.trim();
  const format = request.response_format;
  // Core's lead facts extraction (schema lead_facts): a shape-valid answer that states nothing;
  // tests that need the model to find facts script `reply`.
  if (format?.type === "json_schema" && format.json_schema.name === "lead_facts") return JSON.stringify({ facts: [] });
  if (format?.type === "json_schema" && format.json_schema.name === "grounded_reply") {
    // Core's grounded reply: not covered when the prompt gave no numbered source and the lead asked something.
    const lastUser = request.messages.findLast((message) => message.role === "user")?.content ?? "";
    const covered = /^\[1\] /m.test(system) || !lastUser.includes("?");
    const text = covered
      ? `Hi ${name ?? "there"}, thanks for reaching out! Happy to help. What would you like to know?`
      : `Hi ${name ?? "there"}, good question! I'll check with the team and get back to you soon.`;
    return JSON.stringify({ message: disclosure ? `${text}\n${disclosure}` : text, covered });
  }
  const reply = `Hi ${name ?? "there"}, thanks for reaching out! Happy to help. What would you like to know?`;
  return disclosure ? `${reply}\n${disclosure}` : reply;
}

function openAiError(response: ServerResponse, status: number, message: string, type: string, code: string | null): void {
  sendJson(response, status, { error: { message, type, param: null, code } });
}

function defaultErrorBody(status: number): unknown {
  if (status === 429) {
    return { error: { message: "Rate limit reached for requests. Please try again shortly.", type: "requests", param: null, code: "rate_limit_exceeded" } };
  }
  return { error: { message: "The server had an error while processing your request. Sorry about that!", type: "server_error", param: null, code: null } };
}

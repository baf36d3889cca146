import { detectOptOut, draftMessage, GROUNDED_REPLY_FORMAT, type ChatPrompt, type DraftContext } from "@audnix/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createOpenAiGenerator } from "../src/openai/openai-generator.ts";
import { startFakeOpenAi, type FakeOpenAi } from "../src/openai/fake-openai.ts";
import { DOCUMENTED_STRUCTURED_REQUEST, DOCUMENTED_STRUCTURED_RESPONSE } from "./fixtures/openai-structured-outputs.ts";
import { generationErrorOf } from "./generation-error.ts";

const KEY = "sk-test-openai-generator-key";
const PROMPT: ChatPrompt = {
  system: "You write short follow-ups for Sunny Yoga.\nFirst name: Maya\nNever promise discounts.",
  turns: [
    { role: "user", content: "Hi, do you have evening classes?" },
    { role: "assistant", content: "We do! Tuesdays and Thursdays at 7pm." },
    { role: "user", content: "How much is a drop-in?" },
  ],
};

let fake: FakeOpenAi;
beforeEach(async () => {
  fake = await startFakeOpenAi({ apiKey: KEY });
});
afterEach(async () => {
  await fake.close();
});

function generator(overrides: Partial<Parameters<typeof createOpenAiGenerator>[0]> = {}) {
  return createOpenAiGenerator({ apiKey: KEY, baseURL: `${fake.url}/v1`, model: "gpt-4o-mini", ...overrides });
}

describe("createOpenAiGenerator", () => {
  it("sends the system prompt and the conversation in order and returns the model's reply", async () => {
    const text = await generator().generate(PROMPT, { purpose: "reply", maxOutputTokens: 120 });

    expect(text).toBe("Hi Maya, thanks for reaching out! Happy to help. What would you like to know?");
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]).toMatchObject({
      model: "gpt-4o-mini",
      temperature: 0.7,
      max_tokens: 120,
      messages: [{ role: "system", content: PROMPT.system }, ...PROMPT.turns],
    });
  });

  it("classifies with temperature 0", async () => {
    await generator().generate(PROMPT, { purpose: "classify", maxOutputTokens: 5 });
    expect(fake.requests[0]).toMatchObject({ temperature: 0, max_tokens: 5 });
  });

  it("rides out a 429 through the SDK's own retry", async () => {
    fake.failNext({ status: 429, headers: { "retry-after-ms": "1" } });
    const text = await generator().generate(PROMPT, { purpose: "reply", maxOutputTokens: 120 });
    expect(text).toContain("Maya");
    expect(fake.requests).toHaveLength(2);
  });

  it("reports persistent 5xx as retryable once the SDK's retries are spent", async () => {
    fake.failNext({ status: 500, headers: { "retry-after-ms": "1" } }, 3);
    const error = await generationErrorOf(generator({ maxRetries: 2 }).generate(PROMPT, { purpose: "reply", maxOutputTokens: 120 }));
    expect(error.retryable).toBe(true);
    expect(fake.requests).toHaveLength(3);
  });

  it("reports a rejected key as not retryable, without quoting the key", async () => {
    const wrongKey = "sk-wrong-key-that-must-not-leak";
    const error = await generationErrorOf(generator({ apiKey: wrongKey }).generate(PROMPT, { purpose: "reply", maxOutputTokens: 120 }));
    expect(error.retryable).toBe(false);
    expect(error.message).toContain("401");
    expect(error.message).not.toContain(wrongKey.slice(0, 4));
    expect(error.message).not.toContain(wrongKey.slice(-4));
    expect(fake.requests).toHaveLength(0);
  });

  it("reports a timeout as retryable", async () => {
    fake.stallNext();
    const error = await generationErrorOf(generator({ timeoutMs: 200, maxRetries: 0 }).generate(PROMPT, { purpose: "reply", maxOutputTokens: 120 }));
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(/timed out/);
  });

  it("reports an unreachable server as retryable", async () => {
    await fake.close();
    const error = await generationErrorOf(generator({ maxRetries: 0 }).generate(PROMPT, { purpose: "reply", maxOutputTokens: 120 }));
    expect(error.retryable).toBe(true);
    fake = await startFakeOpenAi({ apiKey: KEY });
  });

  it("treats an empty answer as a non-retryable failure", async () => {
    await fake.close();
    fake = await startFakeOpenAi({ apiKey: KEY, reply: () => "   " });
    const error = await generationErrorOf(generator().generate(PROMPT, { purpose: "reply", maxOutputTokens: 120 }));
    expect(error.retryable).toBe(false);
  });

  it("uses max_completion_tokens when talking to OpenAI itself", async () => {
    const seen: unknown[] = [];
    const recordingFetch: typeof fetch = async (input, init) => {
      seen.push(JSON.parse(String(init?.body)));
      // Answer from the fake: no request leaves the machine.
      return fetch(`${fake.url}/v1/chat/completions`, init);
    };
    await generator({ baseURL: "https://api.openai.com/v1", fetch: recordingFetch }).generate(PROMPT, { purpose: "reply", maxOutputTokens: 64 });
    expect(seen[0]).toMatchObject({ max_completion_tokens: 64 });
    expect(seen[0]).not.toHaveProperty("max_tokens");
  });
});

describe("the fake's default answers to core's own prompts", () => {
  const context: DraftContext = {
    brand: { name: "Sunny Yoga", voiceRules: "Warm and brief.", disclosureEnabled: true },
    lead: { firstName: "Maya", language: "en", facts: {}, tags: [] },
    history: [{ direction: "inbound", body: "Hi, do you have evening classes?", sentAt: new Date("2026-03-02T09:00:00Z"), channel: "instagram" }],
    conversationSummary: null,
    knowledge: [],
    isFirstOutbound: true,
    purpose: "reply",
    step: 0,
    channel: "instagram",
    voice: false,
  };

  it("drafts a first message that passes core's validation (first-name greeting, disclosure line)", async () => {
    const draft = await draftMessage({ ...context, generator: generator() });
    expect(draft.source).toBe("model");
    expect(draft.text).toMatch(/^Hi Maya,/);
    expect(fake.requests).toHaveLength(1);
  });

  it("answers the opt-out classification with core's verdict words", async () => {
    expect(await detectOptOut({ text: "please quit bothering me with these", classify: generator() })).toEqual({ optedOut: true, by: "model" });
    expect(await detectOptOut({ text: "what time is the class on Thursday?", classify: generator() })).toEqual({ optedOut: false, by: null });
    expect(fake.requests.every((request) => request.temperature === 0)).toBe(true);
  });
});

describe("structured outputs (grounded replies)", () => {
  const question: DraftContext = {
    brand: { name: "Sunny Yoga", voiceRules: "", disclosureEnabled: false },
    lead: { firstName: "Maya", language: "en", facts: {}, tags: [] },
    history: [{ direction: "inbound", body: "Do you have parking for bikes?", sentAt: new Date("2026-03-02T09:00:00Z"), channel: "instagram" }],
    conversationSummary: null,
    knowledge: [],
    isFirstOutbound: true,
    purpose: "reply",
    step: 0,
    channel: "instagram",
    voice: false,
  };

  it("asks for core's schema through response_format (strict) and reads the documented answer", async () => {
    const draft = await draftMessage({ ...question, generator: generator() });
    const sent = fake.requests[0];
    expect(sent?.response_format).toEqual({ type: "json_schema", json_schema: { ...GROUNDED_REPLY_FORMAT, strict: true } });
    // Same request keys and value types as OpenAI's own example.
    expect(shapeOf({ ...sent, max_tokens: undefined, temperature: undefined })).toEqual(shapeOf(DOCUMENTED_STRUCTURED_REQUEST));
    expect(draft.text).toBe("Hi Maya, good question! I'll check with the team and get back to you soon.");
    expect(draft.needsOwner).toEqual({ reason: "unanswered_question", detail: "Do you have parking for bikes?" });
  });

  it("answers in the documented chat.completion shape", async () => {
    const response = await fetch(`${fake.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json" },
      body: JSON.stringify(DOCUMENTED_STRUCTURED_REQUEST),
    });
    expect(shapeOf(await response.json())).toEqual(shapeOf(DOCUMENTED_STRUCTURED_RESPONSE));
  });

  it("refuses a response_format OpenAI would refuse", async () => {
    const response = await fetch(`${fake.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json" },
      body: JSON.stringify({ ...DOCUMENTED_STRUCTURED_REQUEST, response_format: { type: "json_schema", json_schema: { name: "has spaces" } } }),
    });
    expect(response.status).toBe(400);
  });

  it("reports a refusal as a failure that will not go away", async () => {
    await fake.close();
    fake = await startFakeOpenAi({ apiKey: KEY, refusal: () => "I'm sorry, I cannot assist with that request." });
    const error = await generationErrorOf(generator().generate(PROMPT, { purpose: "reply", maxOutputTokens: 120, responseSchema: GROUNDED_REPLY_FORMAT }));
    expect(error.retryable).toBe(false);
    expect(error.message).toBe("the model refused to answer");
  });
});

/** Keys and value types, recursively (arrays by their first element): what "the same shape" means here. */
function shapeOf(value: unknown): unknown {
  if (Array.isArray(value)) return [value.length > 0 ? shapeOf(value[0]) : null];
  if (value === null) return "null";
  if (typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, field]) => field !== undefined)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([key, field]) => [key, key === "schema" || key === "content" ? typeof field : shapeOf(field)]),
    );
  }
  return typeof value;
}

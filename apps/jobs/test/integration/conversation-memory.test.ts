import { FOLLOW_UP_POLICY, MEMORY_SUMMARIZE_TASK, memorySummarizeJobKey, SUMMARY_MAX_CHARS } from "@audnix/core";
import {
  createOpenAiEmbedder,
  createOpenAiGenerator,
  defaultFakeReply,
  FAKE_OPENAI_API_KEY,
  startFakeOpenAi,
  type FakeChatRequest,
  type FakeOpenAi,
} from "@audnix/integrations";
import { useTestDatabase } from "@audnix/db/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createEngine, createOwner, leadWrote, makeAllJobsDue, MINUTE_MS, outboundMessages, type EngineOptions } from "./follow-up-fixtures.ts";

// A lead with a long conversation (80 messages): the reply's prompt carries the lead's summary and
// only the token window's messages; memory:summarize folds what left the window into
// semantic_memory, once, with the model (fake OpenAI) or extractively without a key.

const t = useTestDatabase();
let fake: FakeOpenAi;

const MODEL_SUMMARY = "Maria works until 6pm and wants an evening class; she has a $200 budget.";
const LAST_QUESTION = "Can I join on Tuesday?";

const isSummaryRequest = (request: FakeChatRequest) => (request.messages[0]?.content ?? "").includes("running summary of a conversation");
const summaryRequests = () => fake.requests.filter(isSummaryRequest);
// The model is also asked other things (the opt-out check, lead facts): a draft is core's reply prompt.
const replyRequests = () => fake.requests.filter((request) => (request.messages[0]?.content ?? "").startsWith("You write messages on behalf of"));

beforeAll(async () => {
  fake = await startFakeOpenAi({ reply: (request) => (isSummaryRequest(request) ? MODEL_SUMMARY : defaultFakeReply(request)) });
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.requests.length = 0;
  fake.embeddingRequests.length = 0;
});

const connection = () => ({ apiKey: FAKE_OPENAI_API_KEY, baseURL: `${fake.url}/v1`, maxRetries: 0 });
const withModel = (): EngineOptions => ({ generator: createOpenAiGenerator({ ...connection(), model: "gpt-4o-mini" }) });

/** Message `index` of the seeded conversation: 400 characters (100 tokens), numbered so the tests can see which ones a prompt holds. */
function seededBody(index: number): string {
  const number = `m${String(index).padStart(2, "0")}`;
  const words = index % 2 === 0 ? `${number} I work until 6pm on day ${index}. Do you have evening classes?` : `${number} We have classes at 7pm.`;
  return `${words} ${"la ".repeat(200)}`.slice(0, 400);
}

/**
 * A sandbox lead with `seeded` + 1 messages (default 80): `seeded` of them lead and business taking
 * turns, one a minute, the lead first, then the lead's short last question through capture, which
 * queues the reply.
 */
async function longConversation(owner: string, senderId: string, seeded = 79): Promise<{ leadId: string; sentAt: Date[] }> {
  const start = Date.now() - (seeded + 21) * MINUTE_MS;
  const leadId = await leadWrote(t.db, owner, { channel: "sandbox", accountId: owner, senderId, senderName: "maria garcia", text: seededBody(0), ago: (seeded + 21) * MINUTE_MS });
  const sentAt = Array.from({ length: seeded }, (_, index) => new Date(start + index * MINUTE_MS));
  await t.db.asSystem((tx) =>
    tx.message.createMany({
      data: sentAt.slice(1).map((at, offset) => {
        const index = offset + 1;
        const inbound = index % 2 === 0;
        return {
          userId: owner,
          leadId,
          channel: "sandbox" as const,
          direction: inbound ? ("inbound" as const) : ("outbound" as const),
          author: inbound ? ("lead" as const) : ("ai" as const),
          body: seededBody(index),
          sentAt: at,
          ...(inbound ? { providerMessageId: `seed-${leadId}-${index}` } : { deliveryStatus: "sent" as const }),
        };
      }),
    }),
  );
  const first = await t.db.asUser(owner, (tx) => tx.message.findFirstOrThrow({ where: { leadId }, orderBy: { sentAt: "asc" } }));
  sentAt[0] = first.sentAt;
  await leadWrote(t.db, owner, { channel: "sandbox", accountId: owner, senderId, text: LAST_QUESTION, ago: 10 * MINUTE_MS });
  return { leadId, sentAt };
}

function summaryOf(owner: string, leadId: string) {
  return t.db.asUser(owner, (tx) => tx.semanticMemory.findMany({ where: { leadId } }));
}

async function queueSummaryJob(owner: string, leadId: string): Promise<void> {
  await t.db.pool.query("SELECT graphile_worker.add_job($1, $2::json, job_key := $3)", [
    MEMORY_SUMMARIZE_TASK,
    JSON.stringify({ userId: owner, leadId }),
    memorySummarizeJobKey(leadId),
  ]);
}

const turnNumbers = (request: FakeChatRequest) =>
  request.messages.slice(1).map((message) => /^m(\d\d) /.exec(message.content)?.[1] ?? message.content.slice(0, 30));

describe("a long conversation with a model", () => {
  it("drafts from the token window, folds the 51 messages before it into one summary, then drafts with the summary", async () => {
    const engine = createEngine(t.db, withModel());
    const owner = await createOwner(t.db);
    const { leadId, sentAt } = await longConversation(owner, "sandbox-long-model");

    await engine.runDueJobs();

    // 3,000 tokens: the last question (10) and 28 of the 104-token messages; 40 rows were loaded.
    const [firstReply] = replyRequests();
    expect(FOLLOW_UP_POLICY.historyRowsLoaded).toBe(40);
    expect(turnNumbers(firstReply!)).toEqual([...Array.from({ length: 28 }, (_, index) => String(51 + index)), LAST_QUESTION]);
    expect(firstReply!.messages[0]!.content).not.toContain("Earlier in this conversation");
    expect(await outboundMessages(t.db, owner, leadId)).toHaveLength(40);

    // The summary job ran once, on messages m00-m50, and stored the model's answer.
    const [summaryRequest, ...more] = summaryRequests();
    expect(more).toEqual([]);
    const transcript = summaryRequest!.messages[1]!.content;
    expect(transcript).toContain("Summary so far:\n(none yet)");
    expect(transcript).toContain("Lead: m00 ");
    expect(transcript).toContain("m50 ");
    expect(transcript).not.toContain("m51 ");
    expect(summaryRequest!.temperature).toBe(0.2);
    const [stored, ...others] = await summaryOf(owner, leadId);
    expect(others).toEqual([]);
    expect(stored).toMatchObject({
      kind: "conversation_summary",
      content: MODEL_SUMMARY,
      coversUntil: sentAt[50],
      messageCount: 51,
      embedding: [],
      embeddingModel: null,
    });

    // Running it again finds nothing new: no model call, nothing written.
    await queueSummaryJob(owner, leadId);
    await engine.runDueJobs();
    expect(summaryRequests()).toHaveLength(1);
    expect(await summaryOf(owner, leadId)).toEqual([stored]);

    // The lead writes again: the reply's prompt carries the summary and only the window.
    await leadWrote(t.db, owner, { channel: "sandbox", accountId: owner, senderId: "sandbox-long-model", text: "What time does it end?", ago: 0 });
    // The debounced reply first puts itself off by a human-like delay; then it answers.
    for (let pass = 0; pass < 2; pass += 1) {
      await makeAllJobsDue(t.db);
      await engine.runDueJobs();
    }
    const secondReply = replyRequests()[1]!;
    expect(secondReply.messages[0]!.content).toContain(`Earlier in this conversation:\n${MODEL_SUMMARY}`);
    const numbers = turnNumbers(secondReply).filter((turn) => /^\d\d$/.test(turn)).map(Number);
    expect(Math.min(...numbers)).toBeGreaterThan(50);
    expect(turnNumbers(secondReply).at(-1)).toBe("What time does it end?");
  });

  it("stores the summary's embedding when an embedder is configured", async () => {
    const embedder = createOpenAiEmbedder({ ...connection(), dimensions: 64 });
    const engine = createEngine(t.db, { ...withModel(), embedder });
    const owner = await createOwner(t.db);
    const { leadId } = await longConversation(owner, "sandbox-long-embedded");

    await engine.runDueJobs();

    const [stored] = await summaryOf(owner, leadId);
    expect(stored).toMatchObject({ content: MODEL_SUMMARY, embeddingModel: embedder.model });
    expect(stored!.embedding).toHaveLength(64);
    // The engine also embeds its knowledge queries; the summary is embedded once.
    expect(fake.embeddingRequests.filter((request) => JSON.stringify(request.input).includes(MODEL_SUMMARY))).toEqual([
      expect.objectContaining({ input: [MODEL_SUMMARY], dimensions: 64 }),
    ]);
  });
});

describe("a long conversation without a model key", () => {
  it("stores the extractive summary of the lead's key sentences before the window", async () => {
    const engine = createEngine(t.db);
    const owner = await createOwner(t.db);
    const { leadId, sentAt } = await longConversation(owner, "sandbox-long-keyless");

    await engine.runDueJobs();

    expect(fake.requests).toEqual([]);
    const [stored] = await summaryOf(owner, leadId);
    expect(stored).toMatchObject({ coversUntil: sentAt[50], messageCount: 51 });
    const lines = stored!.content.split("\n");
    expect(stored!.content.length).toBeLessThanOrEqual(SUMMARY_MAX_CHARS);
    // The question once, each fact once, nothing of ours or of the window.
    expect(lines.filter((line) => line === "Lead asked: Do you have evening classes?")).toHaveLength(1);
    expect(lines).toContain("Lead said: m50 I work until 6pm on day 50.");
    expect(lines[0]).toBe("Lead said: m00 I work until 6pm on day 0.");
    expect(stored!.content).not.toContain("m52 ");
    expect(stored!.content).not.toContain("7pm");
  });

  it("folds a backlog longer than one batch over several runs, each message once", async () => {
    const engine = createEngine(t.db);
    const owner = await createOwner(t.db);
    // 131 messages: 102 before the 29-message window, folded 60 + 42.
    const { leadId, sentAt } = await longConversation(owner, "sandbox-backlog", 130);

    await engine.runDueJobs();

    const [stored, ...others] = await summaryOf(owner, leadId);
    expect(others).toEqual([]);
    expect(stored).toMatchObject({ coversUntil: sentAt[101], messageCount: 102 });
    expect(stored!.content).toContain("Lead said: m100 I work until 6pm on day 100.");
    expect(stored!.content.length).toBeLessThanOrEqual(SUMMARY_MAX_CHARS);
  });
});

import type { TextGenerator } from "@audnix/core";
import { saveConversationSummary } from "@audnix/db";
import { createOwnerAndStranger, useTestDatabase } from "@audnix/db/testing";
import { createOpenAiGenerator, FAKE_OPENAI_API_KEY, startFakeOpenAi, type FakeOpenAi } from "@audnix/integrations";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCaller, createTrpcContext } from "../src/index.ts";

// "Preview next message" writes from what the engine would: the lead's summary and only the
// messages of the token window (docs/decisions/0024).

const NOW = new Date("2026-05-01T12:00:00.000Z");
const t = useTestDatabase();
let owner: string;
let leadId: string;
let openAi: FakeOpenAi;
const SUMMARY = "Lead said: I work until 6pm on weekdays.\nLead asked: Do you have evening classes?";

/** Message `index` of 60, 400 characters (104 tokens in the window), numbered. */
const body = (index: number) => `m${String(index).padStart(2, "0")} ${"la ".repeat(200)}`.slice(0, 400);

beforeAll(async () => {
  ({ owner } = await createOwnerAndStranger(t.db));
  openAi = await startFakeOpenAi({ reply: () => JSON.stringify({ message: "Hi Maria! Our evening class starts at 7pm.", covered: true }) });
  leadId = await t.db.asSystem(async (tx) => {
    const lead = await tx.lead.create({ data: { userId: owner, externalId: "sb-long", channel: "sandbox", name: "Maria Lopez" } });
    await tx.message.createMany({
      // Oldest first; the lead wrote last (message 59).
      data: Array.from({ length: 60 }, (_, index) => {
        const inbound = index % 2 === 1;
        return {
          userId: owner,
          leadId: lead.id,
          channel: "sandbox" as const,
          direction: inbound ? ("inbound" as const) : ("outbound" as const),
          author: inbound ? ("lead" as const) : ("ai" as const),
          body: body(index),
          sentAt: new Date(NOW.getTime() - (60 - index) * 60_000),
          ...(inbound ? {} : { deliveryStatus: "sent" as const }),
        };
      }),
    });
    return lead.id;
  });
  await saveConversationSummary(t.db, {
    userId: owner,
    leadId,
    expectedCoversUntil: null,
    content: SUMMARY,
    coversUntil: new Date(NOW.getTime() - 40 * 60_000),
    addedMessages: 20,
    embedding: null,
    now: NOW,
  });
});

afterAll(async () => {
  await openAi?.close();
});

const callerFor = (userId: string, generator: TextGenerator | null) => createCaller(createTrpcContext({ db: t.db, userId, now: () => NOW, generator }));

describe("followUps.preview of a long conversation", () => {
  it("sends the model the summary and the 28 newest messages that fit the token window", async () => {
    const generator = createOpenAiGenerator({ apiKey: FAKE_OPENAI_API_KEY, baseURL: `${openAi.url}/v1`, model: "gpt-4o-mini", maxRetries: 0 });
    const preview = await callerFor(owner, generator).followUps.preview({ leadId });
    expect(preview).toMatchObject({ source: "model", text: "Hi Maria! Our evening class starts at 7pm." });
    const [request] = openAi.requests;
    const [system, ...turns] = request!.messages;
    expect(system!.content).toContain(`Earlier in this conversation:\n${SUMMARY}`);
    expect(turns.map((turn) => turn.content.slice(0, 3))).toEqual(Array.from({ length: 28 }, (_, index) => `m${32 + index}`));
    expect(turns.at(-1)!.role).toBe("user");
  });
});

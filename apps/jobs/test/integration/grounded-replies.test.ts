import { faqChunk, nowJobKey, type Embedder } from "@audnix/core";
import { addKnowledgeDocument, clearNeedsOwner, listKnowledgeDocuments, pauseLeadAi } from "@audnix/db";
import { useTestDatabase } from "@audnix/db/testing";
import { createOpenAiEmbedder, createOpenAiGenerator, FAKE_OPENAI_API_KEY, startFakeOpenAi, type FakeOpenAi } from "@audnix/integrations";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createEngine,
  createOwner,
  followUpsOf,
  jobsWithKey,
  leadWrote,
  makeAllJobsDue,
  outboundMessages,
  saveBrand,
  type Engine,
} from "./follow-up-fixtures.ts";

// Grounded replies end to end (docs/decisions/0021): knowledge added through the repository and
// indexed by the real knowledge:ingest task, a lead's question through the real capture, the reply
// job run by graphile-worker, in the sandbox and against the fake OpenAI server.

const t = useTestDatabase();
let fake: FakeOpenAi;

const SHIPPING = { question: "Do you ship to Canada?", answer: "Yes, we ship to Canada in 5-7 business days for $15. Orders over $120 ship free." };
const HOURS = "# Opening hours\nThe shop in Alfama opens Monday to Saturday, 10:00 to 19:00. On Sundays we are closed.";

beforeAll(async () => {
  fake = await startFakeOpenAi();
});
afterAll(async () => {
  await fake?.close();
});

/** An owner whose knowledge base holds the shipping FAQ and the opening hours, indexed. */
async function ownerWithKnowledge(engine: Engine): Promise<string> {
  const owner = await createOwner(t.db);
  await addKnowledgeDocument(t.db, owner, { kind: "faq", title: SHIPPING.question, content: faqChunk(SHIPPING.question, SHIPPING.answer).content });
  await addKnowledgeDocument(t.db, owner, { kind: "text", title: "Visiting the shop", content: HOURS });
  // The owner's documents index one at a time (their own queue): a pass may leave the second waiting.
  for (let pass = 0; pass < 5; pass += 1) {
    await engine.runDueJobs();
    if ((await listKnowledgeDocuments(t.db, owner)).every((document) => document.status !== "processing")) break;
  }
  expect((await listKnowledgeDocuments(t.db, owner)).map((document) => document.status)).toEqual(["ready", "ready"]);
  return owner;
}

function leadAsks(owner: string, senderId: string, text: string) {
  return leadWrote(t.db, owner, { channel: "sandbox", accountId: owner, senderId, senderName: "maria garcia", text });
}

function flagOf(owner: string, leadId: string) {
  return t.db.asUser(owner, (tx) =>
    tx.lead.findUniqueOrThrow({ where: { id: leadId }, select: { needsOwnerAt: true, needsOwnerReason: true, needsOwnerDetail: true } }),
  );
}

describe("the sandbox composer answers from the owner's knowledge", () => {
  let engine: Engine;
  beforeAll(() => {
    engine = createEngine(t.db);
  });

  it("answers an FAQ asked in other words, with a typo, and flags nothing", async () => {
    const owner = await ownerWithKnowledge(engine);
    const leadId = await leadAsks(owner, "sandbox-maria", "hey!! do u guys shiping to canada?");
    await engine.runDueJobs();

    const [reply] = await outboundMessages(t.db, owner, leadId);
    expect(reply?.body).toBe(`[Sandbox AI] Hi Maria! ${SHIPPING.answer} Anything else our team can help with?`);
    expect(await flagOf(owner, leadId)).toEqual({ needsOwnerAt: null, needsOwnerReason: null, needsOwnerDetail: null });
  });

  it("answers from prose with its best sentences", async () => {
    const owner = await ownerWithKnowledge(engine);
    const leadId = await leadAsks(owner, "sandbox-sunday", "are you open on sundays");
    await engine.runDueJobs();
    const [reply] = await outboundMessages(t.db, owner, leadId);
    expect(reply?.body).toContain("On Sundays we are closed.");
  });

  it("says the team will get back and flags the lead with the question, until the owner clears it", async () => {
    const owner = await ownerWithKnowledge(engine);
    const leadId = await leadAsks(owner, "sandbox-surf", "Do you sell surfboards?");
    await engine.runDueJobs();

    const [reply] = await outboundMessages(t.db, owner, leadId);
    expect(reply?.body).toBe("[Sandbox AI] Hi Maria! Good question! I'm checking with the team and we'll get back to you soon.");
    const flag = await flagOf(owner, leadId);
    expect(flag).toMatchObject({ needsOwnerReason: "unanswered_question", needsOwnerDetail: "Do you sell surfboards?" });
    expect(flag.needsOwnerAt).toEqual(reply?.sentAt);

    // The reply's step 1 is planned but has not come due: clearing leaves the schedule as it is.
    expect(await clearNeedsOwner(t.db, { userId: owner, leadId, now: new Date() })).toEqual({ cleared: true, followUpQueued: false });
    expect(await flagOf(owner, leadId)).toEqual({ needsOwnerAt: null, needsOwnerReason: null, needsOwnerDetail: null });
    expect(await clearNeedsOwner(t.db, { userId: owner, leadId, now: new Date() })).toEqual({ cleared: false, followUpQueued: false });
    const audit = await t.db.asUser(owner, (tx) => tx.auditLog.findMany({ where: { target: leadId, action: "lead.needs_owner_cleared" } }));
    expect(audit).toHaveLength(1);
  });

  it("holds the follow-up steps of a flagged lead, answers the lead's next message, and resumes when the owner marks it handled", async () => {
    const owner = await ownerWithKnowledge(engine);
    await saveBrand(t.db, owner, { followUpStepsMinutes: [60, 120] });
    const leadId = await leadAsks(owner, "sandbox-board", "Do you sell surfboards?");
    await engine.runDueJobs();
    expect(await outboundMessages(t.db, owner, leadId)).toHaveLength(1);
    expect((await flagOf(owner, leadId)).needsOwnerReason).toBe("unanswered_question");

    // Step 1 comes due while the lead waits for the owner: no "just checking in".
    await makeAllJobsDue(t.db);
    await engine.runDueJobs();
    expect(await outboundMessages(t.db, owner, leadId)).toHaveLength(1);
    expect((await followUpsOf(t.db, owner, leadId)).map((row) => [row.step, row.status, row.reason])).toEqual([[1, "skipped", "waiting_for_owner"]]);
    expect(engine.lines).toContainEqual(expect.objectContaining({ msg: "follow-up stopped", reason: "waiting_for_owner", leadId }));

    // The owner presses "Mark as handled": the held step is queued at once and goes out.
    expect(await clearNeedsOwner(t.db, { userId: owner, leadId, now: new Date() })).toEqual({ cleared: true, followUpQueued: true });
    expect(await jobsWithKey(t.db, nowJobKey(leadId))).toHaveLength(1);
    const [, resumed] = await followUpsOf(t.db, owner, leadId);
    expect(resumed).toMatchObject({ step: 1, status: "planned" });
    await engine.runDueJobs();
    const sent = await outboundMessages(t.db, owner, leadId);
    expect(sent).toHaveLength(2);
    expect(sent[1]).toMatchObject({ idempotencyKey: `step:${resumed!.id}`, deliveryStatus: "sent" });
    // ... and the sequence goes on from there: step 2 planned.
    expect((await followUpsOf(t.db, owner, leadId)).map((row) => [row.step, row.status])).toEqual([
      [1, "skipped"],
      [1, "sent"],
      [2, "planned"],
    ]);
    expect((await flagOf(owner, leadId)).needsOwnerAt).toBeNull();
  });

  it("unflags a lead the owner paused meanwhile without sending the held step", async () => {
    const owner = await ownerWithKnowledge(engine);
    await saveBrand(t.db, owner, { followUpStepsMinutes: [60, 120] });
    const leadId = await leadAsks(owner, "sandbox-wax", "Do you sell surf wax?");
    await engine.runDueJobs();
    await makeAllJobsDue(t.db);
    await engine.runDueJobs();
    await pauseLeadAi(t.db, { userId: owner, leadId, now: new Date() });

    expect(await clearNeedsOwner(t.db, { userId: owner, leadId, now: new Date() })).toEqual({ cleared: true, followUpQueued: false });
    await makeAllJobsDue(t.db);
    await engine.runDueJobs();
    expect(await outboundMessages(t.db, owner, leadId)).toHaveLength(1);
    expect((await followUpsOf(t.db, owner, leadId)).map((row) => [row.step, row.status, row.reason])).toEqual([[1, "skipped", "waiting_for_owner"]]);
  });

  it("answers a flagged lead's new message: replies are not follow-ups", async () => {
    const owner = await ownerWithKnowledge(engine);
    const leadId = await leadAsks(owner, "sandbox-fin", "Do you sell surf fins?");
    await engine.runDueJobs();
    expect((await flagOf(owner, leadId)).needsOwnerReason).toBe("unanswered_question");
    // Written just now, after our reply. The debounced reply first puts itself off by a human-like
    // delay, then answers; step 1 is forced due with it.
    await leadWrote(t.db, owner, { channel: "sandbox", accountId: owner, senderId: "sandbox-fin", senderName: "maria garcia", text: "and do u ship to canada", ago: 0 });
    for (let pass = 0; pass < 2; pass += 1) {
      await makeAllJobsDue(t.db);
      await engine.runDueJobs();
    }
    const sent = await outboundMessages(t.db, owner, leadId);
    expect(sent).toHaveLength(2);
    expect(sent[1]?.body).toContain(SHIPPING.answer);
  });

  it("keeps another owner's flag out of reach", async () => {
    const owner = await ownerWithKnowledge(engine);
    const stranger = await createOwner(t.db);
    const leadId = await leadAsks(owner, "sandbox-kite", "Do you rent kites?");
    await engine.runDueJobs();
    expect(await clearNeedsOwner(t.db, { userId: stranger, leadId, now: new Date() })).toEqual({ cleared: false, followUpQueued: false });
    expect((await flagOf(owner, leadId)).needsOwnerReason).toBe("unanswered_question");
  });
});

describe("with a model (the fake OpenAI server) and embeddings", () => {
  let engine: Engine;
  let embedder: Embedder;
  beforeAll(() => {
    embedder = createOpenAiEmbedder({ apiKey: FAKE_OPENAI_API_KEY, baseURL: `${fake.url}/v1`, maxRetries: 0 });
    engine = createEngine(t.db, {
      embedder,
      generator: createOpenAiGenerator({ apiKey: FAKE_OPENAI_API_KEY, baseURL: `${fake.url}/v1`, model: "gpt-4o-mini", maxRetries: 0 }),
    });
  });

  it("gives the model the matching passage as numbered source [1], with its title, and asks for the verdict", async () => {
    const owner = await ownerWithKnowledge(engine);
    const leadId = await leadAsks(owner, "sandbox-model", "what does shipping to canada cost?");
    const before = fake.requests.length;
    await engine.runDueJobs();

    const replies = fake.requests
      .slice(before)
      .filter((request) => request.response_format?.type === "json_schema" && request.response_format.json_schema.name === "grounded_reply");
    expect(replies).toHaveLength(1);
    const system = replies[0]!.messages[0]!.content;
    expect(system).toContain(`[1] ${SHIPPING.question}\n${faqChunk(SHIPPING.question, SHIPPING.answer).content}`);
    expect(replies[0]!.response_format).toMatchObject({ type: "json_schema", json_schema: { name: "grounded_reply", strict: true } });
    // The query was embedded too (hybrid search).
    expect(fake.embeddingRequests.some((request) => request.input === "what does shipping to canada cost?" || (Array.isArray(request.input) && request.input.includes("what does shipping to canada cost?")))).toBe(true);

    const [reply] = await outboundMessages(t.db, owner, leadId);
    expect(reply?.body).toMatch(/^Hi Maria/);
    expect((await flagOf(owner, leadId)).needsOwnerAt).toBeNull();
  });

  it("flags the lead when the model says the sources do not cover the question", async () => {
    const owner = await createOwner(t.db);
    const leadId = await leadAsks(owner, "sandbox-model-surf", "Do you sell surfboards?");
    await engine.runDueJobs();

    const [reply] = await outboundMessages(t.db, owner, leadId);
    expect(reply?.body).toContain("I'll check with the team");
    expect(await flagOf(owner, leadId)).toMatchObject({ needsOwnerReason: "unanswered_question", needsOwnerDetail: "Do you sell surfboards?" });
  });
});

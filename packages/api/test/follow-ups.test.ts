import { faqChunk, FOLLOW_UP_BLOCK_MESSAGES, FOLLOW_UP_JOBS, nowJobKey, stepJobKey, type KnowledgeIngestPayload } from "@audnix/core";
import { addKnowledgeDocument, removeKnowledgeDocument, runKnowledgeIngestStep } from "@audnix/db";
import { createOwnerAndStranger, useTestDatabase } from "@audnix/db/testing";
import { createOpenAiGenerator, FAKE_OPENAI_API_KEY, startFakeOpenAi, type FakeOpenAi } from "@audnix/integrations";
import type { TextGenerator } from "@audnix/core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createCaller, createTrpcContext } from "../src/index.ts";

const NOW = new Date("2026-05-01T12:00:00.000Z");
const HOUR_MS = 3_600_000;

const t = useTestDatabase();
let owner: string;
let stranger: string;
let leadId: string;
let openAi: FakeOpenAi;

beforeAll(async () => {
  ({ owner, stranger } = await createOwnerAndStranger(t.db));
  // The model's answer is scripted so the test can tell it apart from the sandbox composer's.
  // Replies are asked for as core's grounded-reply object (structured outputs).
  openAi = await startFakeOpenAi({ reply: () => JSON.stringify({ message: "Hi Maria! Yes, we ship to Spain: 3-5 days.", covered: true }) });
});

afterAll(async () => {
  await openAi?.close();
});

const callerFor = (userId: string | null, generator: TextGenerator | null = null) =>
  createCaller(createTrpcContext({ db: t.db, userId, now: () => NOW, generator }));

// The follow-up engine's jobs (a message's lead:facts job sends nothing and outlives a pause).
const queuedJobs = async () => {
  const { rows } = await t.db.pool.query<{ task_identifier: string; key: string | null }>(
    "SELECT task_identifier, key FROM graphile_worker.jobs WHERE task_identifier LIKE 'followup:%' ORDER BY id",
  );
  return rows;
};

const writes = () =>
  t.db.asSystem(async (tx) => ({
    messages: await tx.message.count(),
    followUps: await tx.followUp.count(),
    facts: await tx.leadFact.count(),
  }));

/** Indexes one document as knowledge:ingest would (apps/jobs runs the real worker). */
async function indexDocument(userId: string, documentId: string): Promise<void> {
  let next: KnowledgeIngestPayload | null = { userId, documentId };
  while (next) {
    const step = await runKnowledgeIngestStep(t.db, null, next);
    next = step.outcome === "continued" ? step.next : null;
  }
}

/** A step the engine planned: the follow_ups row and its job, as app_followup_plan_next writes them. */
async function planStep(step: number, plannedAt: Date): Promise<void> {
  await t.db.asSystem(async (tx) => {
    const row = await tx.followUp.create({
      data: { userId: owner, leadId, step, channel: "sandbox", plannedAt, jobKey: stepJobKey(leadId, step) },
    });
    await tx.$executeRaw`SELECT graphile_worker.add_job(${FOLLOW_UP_JOBS.step},
      json_build_object('followUpId', ${row.id}::uuid, 'userId', ${owner}::uuid), run_at := ${plannedAt},
      job_key := ${stepJobKey(leadId, step)})`;
  });
}

/** What the worker's reply job leaves behind once it settled: the reply sent, no job, no reply on its way. */
const replySettled = () =>
  t.db.asSystem(async (tx) => {
    await tx.$executeRaw`DELETE FROM graphile_worker._private_jobs`;
    await tx.lead.updateMany({ data: { replyDueAt: null } });
    const lead = await tx.lead.findUniqueOrThrow({ where: { id: leadId }, select: { channel: true } });
    await tx.message.create({
      data: { userId: owner, leadId, direction: "outbound", author: "ai", channel: lead.channel, body: "[Sandbox AI] Hi Maria!", sentAt: new Date(NOW.getTime() + 60_000), deliveryStatus: "sent" },
    });
  });

beforeEach(async () => {
  await t.db.asSystem(async (tx) => {
    await tx.lead.deleteMany();
    await tx.$executeRaw`DELETE FROM graphile_worker._private_jobs`;
  });
  ({ leadId } = await callerFor(owner).sandbox.simulateInbound({ name: "Maria Lopez", text: "Hi! Do you ship to Spain?" }));
});

describe("followUps.forLead", () => {
  it("says a reply is on its way right after the lead wrote", async () => {
    const panel = await callerFor(owner).followUps.forLead({ leadId });
    expect(panel).toMatchObject({ nextStep: null, idle: "replying", paused: false, optedOut: false, history: [] });
    expect(panel.pendingJob?.kind).toBe("reply");
    // The lead wrote at NOW (the simulator's clock); the engine sends 20 s + 45 s..4 min after it.
    expect(panel.replyEta).toBe("Replies in about 1-4 min");
    // Until that reply went out, "Follow up now" would be stopped by the engine: the button says so.
    expect(panel.followUpNow.block).toMatchObject({ reason: "lead_replied" });
    await expect(callerFor(owner).followUps.followUpNow({ leadId })).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
      message: panel.followUpNow.block?.message,
    });
  });

  it("shows the planned step, then the sequence's end once nothing is left", async () => {
    await replySettled();
    const plannedAt = new Date(NOW.getTime() + 24 * HOUR_MS);
    await planStep(1, plannedAt);
    const panel = await callerFor(owner).followUps.forLead({ leadId });
    expect(panel.nextStep).toEqual({ step: 1, channel: "sandbox", plannedAt, reason: null });
    expect(panel.idle).toBeNull();
    expect(panel.history.map((row) => [row.step, row.status])).toEqual([[1, "planned"]]);

    await t.db.asSystem((tx) => tx.followUp.updateMany({ where: { leadId }, data: { status: "sent" } }));
    expect(await callerFor(owner).followUps.forLead({ leadId })).toMatchObject({ nextStep: null, idle: "finished" });
  });

  it("is not found for another owner", async () => {
    await expect(callerFor(stranger).followUps.forLead({ leadId })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("followUps.preview", () => {
  it("writes the sandbox greeting with the lead's first name when no model is configured, and stores nothing", async () => {
    const before = { writes: await writes(), jobs: await queuedJobs() };
    const preview = await callerFor(owner, null).followUps.preview({ leadId });
    expect(preview).toMatchObject({ channel: "sandbox", source: "sandbox" });
    expect(preview.text).toContain("Hi Maria!");
    expect(preview.text).not.toContain("Lopez");
    expect({ writes: await writes(), jobs: await queuedJobs() }).toEqual(before);
  });

  it("asks the configured model (here the local OpenAI fake) and returns its text", async () => {
    const generator = createOpenAiGenerator({ apiKey: FAKE_OPENAI_API_KEY, baseURL: `${openAi.url}/v1`, model: "gpt-4o-mini" });
    const asked = openAi.requests.length;
    const preview = await callerFor(owner, generator).followUps.preview({ leadId });
    expect(preview).toMatchObject({ channel: "sandbox", source: "model" });
    expect(preview.text).toBe("Hi Maria! Yes, we ship to Spain: 3-5 days.");
    expect(openAi.requests.length).toBe(asked + 1);
    expect(JSON.stringify(openAi.requests.at(-1)?.messages)).toContain("Do you ship to Spain?");
  });

  it("is grounded in the owner's knowledge like the engine's message: the passage as source [1], the sandbox answering from it", async () => {
    const { id } = await addKnowledgeDocument(t.db, owner, {
      kind: "faq",
      title: "Do you ship to Spain?",
      content: faqChunk("Do you ship to Spain?", "Yes, to Spain in 3-5 days for 9 EUR.").content,
    });
    await indexDocument(owner, id);
    try {
      const generator = createOpenAiGenerator({ apiKey: FAKE_OPENAI_API_KEY, baseURL: `${openAi.url}/v1`, model: "gpt-4o-mini" });
      const preview = await callerFor(owner, generator).followUps.preview({ leadId });
      expect(preview).toMatchObject({ source: "model", sources: ["Do you ship to Spain?"], unanswered: false });
      expect(openAi.requests.at(-1)?.messages[0]?.content).toContain("[1] Do you ship to Spain?\nQ: Do you ship to Spain?\nA: Yes, to Spain in 3-5 days for 9 EUR.");

      const sandbox = await callerFor(owner).followUps.preview({ leadId });
      expect(sandbox.text).toBe("[Sandbox AI] Hi Maria! Yes, to Spain in 3-5 days for 9 EUR. Anything else our team can help with?");
      expect(await writes()).toMatchObject({ messages: 1 });
    } finally {
      await removeKnowledgeDocument(t.db, owner, id);
    }
  });

  it("says when the message would leave the question to the owner", async () => {
    const preview = await callerFor(owner).followUps.preview({ leadId });
    expect(preview).toMatchObject({ source: "sandbox", sources: [], unanswered: true });
    expect(preview.text).toContain("we'll get back to you soon");
    const lead = await t.db.asUser(owner, (tx) => tx.lead.findUniqueOrThrow({ where: { id: leadId }, select: { needsOwnerAt: true } }));
    expect(lead.needsOwnerAt).toBeNull();
  });

  it("is not found for another owner, and the model is never asked", async () => {
    const generator = createOpenAiGenerator({ apiKey: FAKE_OPENAI_API_KEY, baseURL: `${openAi.url}/v1`, model: "gpt-4o-mini" });
    const asked = openAi.requests.length;
    await expect(callerFor(stranger, generator).followUps.preview({ leadId })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(openAi.requests.length).toBe(asked);
  });
});

describe("followUps.followUpNow", () => {
  it("pressed twice queues one send; the second press says it is already on its way, and the panel says so too", async () => {
    const caller = callerFor(owner);
    await replySettled();
    expect(await caller.followUps.forLead({ leadId })).toMatchObject({ followUpNow: { step: 1, pending: false } });

    expect(await caller.followUps.followUpNow({ leadId, step: 1 })).toEqual({ outcome: "queued", step: 1 });
    expect(await caller.followUps.followUpNow({ leadId, step: 1 })).toEqual({ outcome: "already_pending", step: 1 });

    const panel = await caller.followUps.forLead({ leadId });
    expect(panel).toMatchObject({
      followUpNow: { step: 1, pending: true },
      nextStep: { step: 1, reason: "follow up now", plannedAt: NOW },
      pendingJob: { kind: "now" },
    });
    const now = (await queuedJobs()).filter((job) => job.task_identifier === FOLLOW_UP_JOBS.now);
    expect(now).toEqual([{ task_identifier: FOLLOW_UP_JOBS.now, key: nowJobKey(leadId) }]);
  });

  it("pressed again for the step that was just sent is a no-op that says it went out", async () => {
    const caller = callerFor(owner);
    await replySettled();
    await planStep(1, new Date(NOW.getTime() + 24 * HOUR_MS));
    expect(await caller.followUps.followUpNow({ leadId, step: 1 })).toEqual({ outcome: "queued", step: 1 });
    // What the worker does with it: step 1 sent, its job done, step 2 planned.
    await t.db.asSystem(async (tx) => {
      await tx.followUp.updateMany({ where: { leadId, step: 1 }, data: { status: "sent" } });
      await tx.$executeRaw`DELETE FROM graphile_worker._private_jobs`;
    });
    await planStep(2, new Date(NOW.getTime() + 48 * HOUR_MS));

    // The second press came from a page that still showed step 1.
    expect(await caller.followUps.followUpNow({ leadId, step: 1 })).toEqual({ outcome: "already_sent", step: 1 });
    expect((await queuedJobs()).map((job) => job.key)).toEqual([stepJobKey(leadId, 2)]);
    expect(await caller.followUps.forLead({ leadId })).toMatchObject({ followUpNow: { step: 2, pending: false }, nextStep: { step: 2, reason: null } });
  });

  it("is refused with the reason when the lead opted out, and not found for another owner", async () => {
    await t.db.asSystem((tx) => tx.lead.update({ where: { id: leadId }, data: { optedOutAt: new Date(), status: "opted_out" } }));
    await expect(callerFor(owner).followUps.followUpNow({ leadId })).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
      message: "This lead opted out: no more follow-ups will be sent.",
    });
    expect(await callerFor(owner).followUps.forLead({ leadId })).toMatchObject({ optedOut: true, idle: "opted_out" });
    await expect(callerFor(stranger).followUps.followUpNow({ leadId })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await queuedJobs()).filter((job) => job.task_identifier === FOLLOW_UP_JOBS.now)).toEqual([]);
  });
});

describe("followUps.followUpNow and the panel agree with the plan", () => {
  it("refuses a converted lead through the API with the panel's reason, and queues nothing", async () => {
    await replySettled();
    await callerFor(owner).followUps.markConverted({ leadId });
    const panel = await callerFor(owner).followUps.forLead({ leadId });
    expect(panel.followUpNow.block).toEqual({ reason: "converted", message: "No follow-ups: this lead has converted." });
    await expect(callerFor(owner).followUps.followUpNow({ leadId })).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
      message: "No follow-ups: this lead has converted.",
    });
    expect(await queuedJobs()).toEqual([]);
    expect(await t.db.asUser(owner, (tx) => tx.followUp.count({ where: { leadId, status: "planned" } }))).toBe(0);
  });

  it("once the trial ended: no next step on the panel, the button's reason, the same refusal; a plan brings both back", async () => {
    await replySettled();
    const plannedAt = new Date(NOW.getTime() + 24 * HOUR_MS);
    await planStep(1, plannedAt);
    await t.db.asSystem((tx) => tx.user.update({ where: { id: owner }, data: { plan: "trial", trialExpiresAt: new Date(NOW.getTime() - HOUR_MS) } }));
    try {
      const panel = await callerFor(owner).followUps.forLead({ leadId });
      expect(panel.nextStep).toBeNull();
      expect(panel.followUpNow.block).toEqual({ reason: "plan_blocked", message: FOLLOW_UP_BLOCK_MESSAGES.trial_expired });
      await expect(callerFor(owner).followUps.followUpNow({ leadId })).rejects.toMatchObject({
        code: "PRECONDITION_FAILED",
        message: FOLLOW_UP_BLOCK_MESSAGES.trial_expired,
      });
      expect((await queuedJobs()).map((job) => job.key)).toEqual([stepJobKey(leadId, 1)]);
    } finally {
      await t.db.asSystem((tx) => tx.user.update({ where: { id: owner }, data: { plan: "growth", trialExpiresAt: null } }));
    }
    const panel = await callerFor(owner).followUps.forLead({ leadId });
    expect(panel).toMatchObject({ nextStep: { step: 1, plannedAt }, followUpNow: { step: 1, block: null } });
    expect(await callerFor(owner).followUps.followUpNow({ leadId, step: 1 })).toEqual({ outcome: "queued", step: 1 });
  });

  it("refuses a step past the end of the owner's sequence, as the engine would stop it", async () => {
    await replySettled();
    await t.db.asSystem((tx) => tx.brandSettings.create({ data: { userId: owner, followUpStepsMinutes: [60] } }));
    await t.db.asSystem(async (tx) => {
      await tx.followUp.create({ data: { userId: owner, leadId, step: 1, channel: "sandbox", plannedAt: NOW, status: "sent" } });
      await tx.$executeRaw`DELETE FROM graphile_worker._private_jobs`;
    });
    const panel = await callerFor(owner).followUps.forLead({ leadId });
    expect(panel.followUpNow).toMatchObject({ step: 2, block: { reason: "sequence_finished" } });
    await expect(callerFor(owner).followUps.followUpNow({ leadId })).rejects.toMatchObject({ message: panel.followUpNow.block?.message });
    await t.db.asSystem((tx) => tx.brandSettings.deleteMany());
  });
});

describe("followUps.pause and resume", () => {
  it("pause cancels the planned steps and stops every queued send; follow up now is refused while paused", async () => {
    await planStep(1, new Date(NOW.getTime() + HOUR_MS));
    const caller = callerFor(owner);
    expect(await caller.followUps.pause({ leadId })).toEqual({ cancelledSteps: 1 });

    const panel = await caller.followUps.forLead({ leadId });
    expect(panel).toMatchObject({ nextStep: null, paused: true, idle: "paused", pendingJob: null });
    expect(panel.history.map((row) => [row.step, row.status, row.reason])).toEqual([[1, "cancelled", "paused by owner"]]);
    expect(await queuedJobs()).toEqual([]);
    await expect(caller.followUps.followUpNow({ leadId })).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
      message: "AI is paused for this lead. Resume AI first.",
    });
  });

  it("resume lifts the pause, and queues the next follow-up only when asked", async () => {
    const caller = callerFor(owner);
    await replySettled();
    await caller.followUps.pause({ leadId });
    expect(await caller.followUps.resume({ leadId })).toEqual({ followUpQueued: false });
    expect(await caller.followUps.forLead({ leadId })).toMatchObject({ paused: false, idle: "not_started" });
    expect(await queuedJobs()).toEqual([]);

    await caller.followUps.pause({ leadId });
    expect(await caller.followUps.resume({ leadId, followUpNow: true })).toEqual({ followUpQueued: true });
    expect(await queuedJobs()).toEqual([{ task_identifier: FOLLOW_UP_JOBS.now, key: nowJobKey(leadId) }]);
  });

  it("another owner can neither pause nor resume the lead", async () => {
    await expect(callerFor(stranger).followUps.pause({ leadId })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await callerFor(owner).followUps.forLead({ leadId })).toMatchObject({ paused: false });
    await callerFor(owner).followUps.pause({ leadId });
    await expect(callerFor(stranger).followUps.resume({ leadId })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await callerFor(owner).followUps.forLead({ leadId })).toMatchObject({ paused: true });
  });
});

describe("followUps.markConverted", () => {
  it("marks the lead converted and stops its sequence; another owner cannot", async () => {
    await planStep(1, new Date(NOW.getTime() + HOUR_MS));
    await expect(callerFor(stranger).followUps.markConverted({ leadId })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await queuedJobs()).not.toEqual([]);

    expect(await callerFor(owner).followUps.markConverted({ leadId })).toEqual({ cancelledSteps: 1, alreadyConverted: false });
    const panel = await callerFor(owner).followUps.forLead({ leadId });
    expect(panel).toMatchObject({ nextStep: null, idle: "converted", pendingJob: null });
    expect(panel.history.map((row) => [row.step, row.status, row.reason])).toEqual([[1, "cancelled", "lead converted"]]);
    expect(await queuedJobs()).toEqual([]);
    const lead = await t.db.asUser(owner, (tx) => tx.lead.findUniqueOrThrow({ where: { id: leadId }, select: { status: true } }));
    expect(lead.status).toBe("converted");
  });
});

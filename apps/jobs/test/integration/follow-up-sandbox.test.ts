import { isInQuietHours, stepJobKey } from "@audnix/core";
import { markLeadConverted } from "@audnix/db";
import { useTestDatabase } from "@audnix/db/testing";
import { beforeAll, describe, expect, it } from "vitest";
import {
  createEngine,
  createOwner,
  followUpsOf,
  HOUR_MS,
  jobsWithKey,
  leadWrote,
  makeAllJobsDue,
  MINUTE_MS,
  outboundMessages,
  saveBrand,
  type Engine,
} from "./follow-up-fixtures.ts";

const t = useTestDatabase();
let engine: Engine;

beforeAll(async () => {
  engine = createEngine(t.db);
});

/** A sandbox lead's message to `owner` (by default a first one, ten minutes ago); returns the lead's id. */
function sandboxLeadWrote(owner: string, senderId: string, text: string, { name = "maria garcia", ago }: { name?: string | null; ago?: number } = {}) {
  return leadWrote(t.db, owner, { channel: "sandbox", accountId: owner, senderId, senderName: name, text, ago });
}

async function leadStatus(owner: string, leadId: string) {
  const lead = await t.db.asUser(owner, (tx) => tx.lead.findUniqueOrThrow({ where: { id: leadId }, select: { status: true } }));
  return lead.status;
}

describe("reply in the sandbox", () => {
  it("answers the lead by first name, marks them contacted and plans step 1 outside quiet hours", async () => {
    const owner = await createOwner(t.db);
    const leadId = await sandboxLeadWrote(owner, "sandbox-maria", "Hi! How much is the course?");
    const replyDue = async () =>
      (await t.db.asUser(owner, (tx) => tx.lead.findUniqueOrThrow({ where: { id: leadId }, select: { replyDueAt: true } }))).replyDueAt;
    expect(await replyDue()).not.toBeNull();

    await engine.runDueJobs();

    const sent = await outboundMessages(t.db, owner, leadId);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.channel).toBe("sandbox");
    expect(sent[0]!.body).toContain("Maria");
    expect(sent[0]!.idempotencyKey).toMatch(/^reply:/);
    expect(sent[0]).toMatchObject({ deliveryStatus: "sent", author: "ai", followUpStep: null });
    expect(await leadStatus(owner, leadId)).toBe("contacted");
    // Answered: no reply on its way any more.
    expect(await replyDue()).toBeNull();

    const steps = await followUpsOf(t.db, owner, leadId);
    expect(steps).toHaveLength(1);
    const step = steps[0]!;
    expect(step).toMatchObject({ step: 1, status: "planned", jobKey: stepJobKey(leadId, 1) });
    // Default brand: step 1 is 60 min after the conversation plus 10-120 min of jitter, pushed out
    // of quiet hours (21:00-08:00 UTC) when it lands in them.
    const earliest = sent[0]!.sentAt.getTime() + 70 * MINUTE_MS;
    expect(step.plannedAt.getTime()).toBeGreaterThanOrEqual(earliest);
    expect(step.plannedAt.getTime()).toBeLessThanOrEqual(earliest + 14 * HOUR_MS);
    expect(isInQuietHours(step.plannedAt, { start: "21:00", end: "08:00" }, "UTC")).toBe(false);

    const jobs = await jobsWithKey(t.db, stepJobKey(leadId, 1));
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.task_identifier).toBe("followup:step");
    expect(jobs[0]!.run_at.getTime()).toBe(step.plannedAt.getTime());
    expect(jobs[0]!.payload).toEqual({ followUpId: step.id, userId: owner });
  });

  it("cancels the planned step when the lead writes again, and answers the new message once", async () => {
    const owner = await createOwner(t.db);
    const leadId = await sandboxLeadWrote(owner, "sandbox-jon", "Hello there");
    await engine.runDueJobs();
    const [planned] = await followUpsOf(t.db, owner, leadId);
    expect(planned?.status).toBe("planned");

    await sandboxLeadWrote(owner, "sandbox-jon", "Sorry, one more question: do you ship abroad?", { name: null, ago: 0 });

    const afterCapture = await followUpsOf(t.db, owner, leadId);
    expect(afterCapture.find((row) => row.id === planned!.id)).toMatchObject({ status: "cancelled", reason: "lead replied" });
    expect(await jobsWithKey(t.db, stepJobKey(leadId, 1))).toEqual([]);
    expect(await leadStatus(owner, leadId)).toBe("replied");

    // The reply waits a human-like 45 s to 4 min after the 20 s debounce: when the debounced job
    // runs, it only reschedules itself.
    await makeAllJobsDue(t.db);
    await engine.runDueJobs();
    expect(await outboundMessages(t.db, owner, leadId)).toHaveLength(1);
    const [delayed] = await jobsWithKey(t.db, `followup:reply:${leadId}`);
    expect(delayed?.payload).toMatchObject({ humanDelayApplied: true });
    expect(delayed!.run_at.getTime()).toBeGreaterThanOrEqual(Date.now() + 40_000);

    await makeAllJobsDue(t.db);
    await engine.runDueJobs();
    const sent = await outboundMessages(t.db, owner, leadId);
    expect(sent).toHaveLength(2);
    const rows = await followUpsOf(t.db, owner, leadId);
    expect(rows.filter((row) => row.status === "planned")).toHaveLength(1);
    expect(await jobsWithKey(t.db, stepJobKey(leadId, 1))).toHaveLength(1);
  });

  it("treats STOP as an opt-out: no reply, opted_out at capture, and nothing is ever sent again", async () => {
    const owner = await createOwner(t.db);
    const leadId = await sandboxLeadWrote(owner, "sandbox-stop", "Hi, what do you sell?");
    await engine.runDueJobs();
    expect(await outboundMessages(t.db, owner, leadId)).toHaveLength(1);

    await sandboxLeadWrote(owner, "sandbox-stop", "STOP", { name: null, ago: 5 * MINUTE_MS });
    // Capture itself opted the lead out: no job had to run for it.
    expect(await leadStatus(owner, leadId)).toBe("opted_out");
    await engine.runDueJobs();

    expect(await outboundMessages(t.db, owner, leadId)).toHaveLength(1);
    expect(await leadStatus(owner, leadId)).toBe("opted_out");
    expect((await followUpsOf(t.db, owner, leadId)).filter((row) => row.status === "planned")).toEqual([]);

    // Even when the lead writes again and every job is forced due, nothing goes out.
    await sandboxLeadWrote(owner, "sandbox-stop", "hello?", { name: null, ago: 2 * MINUTE_MS });
    await makeAllJobsDue(t.db);
    await engine.runDueJobs();
    expect(await outboundMessages(t.db, owner, leadId)).toHaveLength(1);
    expect(await leadStatus(owner, leadId)).toBe("opted_out");
  });

  it("sends nothing to a lead the owner paused", async () => {
    const owner = await createOwner(t.db);
    const leadId = await sandboxLeadWrote(owner, "sandbox-paused", "Hi", { name: null });
    await t.db.asUser(owner, (tx) => tx.lead.update({ where: { id: leadId }, data: { aiPausedAt: new Date() } }));

    await engine.runDueJobs();

    expect(await outboundMessages(t.db, owner, leadId)).toEqual([]);
    expect(await followUpsOf(t.db, owner, leadId)).toEqual([]);
  });

  it("stops for a converted lead: the planned step is cancelled, and a later message gets no reply", async () => {
    const owner = await createOwner(t.db);
    const leadId = await sandboxLeadWrote(owner, "sandbox-converted", "Hi, I'd like to book");
    await engine.runDueJobs();
    expect(await outboundMessages(t.db, owner, leadId)).toHaveLength(1);

    expect(await markLeadConverted(t.db, { userId: owner, leadId, now: new Date() })).toEqual({ cancelledSteps: 1, alreadyConverted: false });
    await sandboxLeadWrote(owner, "sandbox-converted", "Thanks, see you Friday!", { ago: 10 * MINUTE_MS - 1 });
    await makeAllJobsDue(t.db);
    await engine.runDueJobs();

    expect(await outboundMessages(t.db, owner, leadId)).toHaveLength(1);
    expect(await leadStatus(owner, leadId)).toBe("converted");
    expect((await followUpsOf(t.db, owner, leadId)).map((row) => row.status)).toEqual(["cancelled"]);
  });

  it("sends every step of the sequence, then marks the lead lost", async () => {
    const owner = await createOwner(t.db);
    await saveBrand(t.db, owner, { followUpStepsMinutes: [60, 120] });
    // Not a question: one the (empty) knowledge base can't answer would hold the steps for the owner.
    const leadId = await sandboxLeadWrote(owner, "sandbox-quiet", "I'd like this one.");
    await engine.runDueJobs();

    for (const step of [1, 2]) {
      const planned = (await followUpsOf(t.db, owner, leadId)).filter((row) => row.status === "planned");
      expect(planned.map((row) => row.step)).toEqual([step]);
      await makeAllJobsDue(t.db);
      await engine.runDueJobs();
    }

    const sent = await outboundMessages(t.db, owner, leadId);
    expect(sent.map((message) => [message.author, message.followUpStep])).toEqual([
      ["ai", null],
      ["ai", 1],
      ["ai", 2],
    ]);
    expect(sent.map((message) => message.deliveryStatus)).toEqual(["sent", "sent", "sent"]);
    const rows = await followUpsOf(t.db, owner, leadId);
    expect(rows.map((row) => [row.step, row.status])).toEqual([
      [1, "sent"],
      [2, "sent"],
    ]);
    expect(rows.every((row) => row.messageId !== null)).toBe(true);
    expect(await leadStatus(owner, leadId)).toBe("lost");
  });
});

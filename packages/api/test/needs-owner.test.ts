import { createOwnerAndStranger, useTestDatabase } from "@audnix/db/testing";
import { beforeAll, describe, expect, it } from "vitest";
import { createCaller, createTrpcContext } from "../src/index.ts";

// The "the AI couldn't answer" flag as the dashboard reads and clears it (docs/decisions/0021).

const t = useTestDatabase();
let owner: string;
let stranger: string;
let leadId: string;
const FLAGGED_AT = new Date("2026-06-10T10:00:00.000Z");

const callerFor = (userId: string | null) => createCaller(createTrpcContext({ db: t.db, userId }));

beforeAll(async () => {
  ({ owner, stranger } = await createOwnerAndStranger(t.db));
  const lead = await t.db.asSystem((tx) =>
    tx.lead.create({
      data: {
        userId: owner,
        externalId: "sandbox-surf",
        name: "Maria Garcia",
        channel: "sandbox",
        lastMessageAt: FLAGGED_AT,
        // As beginSend writes it with the reply that says the team will get back.
        needsOwnerAt: FLAGGED_AT,
        needsOwnerReason: "unanswered_question",
        needsOwnerDetail: "Do you sell surfboards?",
      },
    }),
  );
  leadId = lead.id;
});

describe("the needs-owner flag", () => {
  it("shows on the lead with the question, and in the list", async () => {
    const page = await callerFor(owner).leads.byId({ id: leadId });
    expect(page.needsOwner).toEqual({ at: FLAGGED_AT, reason: "unanswered_question", title: "The AI couldn't answer", detail: "Do you sell surfboards?" });
    const list = await callerFor(owner).leads.list({});
    expect(list.items.find((item) => item.id === leadId)?.needsOwnerAt).toEqual(FLAGGED_AT);
  });

  it("is not another owner's to clear", async () => {
    await expect(callerFor(stranger).leads.clearNeedsOwner({ leadId })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(callerFor(null).leads.clearNeedsOwner({ leadId })).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    await expect(callerFor(owner).leads.clearNeedsOwner({ leadId: "not-a-uuid" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect((await callerFor(owner).leads.byId({ id: leadId })).needsOwner).not.toBeNull();
  });

  it("holds the lead's follow-ups: the panel says why, and 'Follow up now' refuses", async () => {
    const panel = await callerFor(owner).followUps.forLead({ leadId });
    expect(panel).toMatchObject({ idle: "waiting_for_owner", waitingForOwner: true, nextStep: null });
    await expect(callerFor(owner).followUps.followUpNow({ leadId })).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
      message: expect.stringContaining("Follow-ups wait for you"),
    });
    expect(await t.db.asUser(owner, (tx) => tx.followUp.count({ where: { leadId } }))).toBe(0);
  });

  it("refuses 'Resume AI' with a follow-up now while the lead waits, and keeps the pause", async () => {
    const caller = callerFor(owner);
    await caller.followUps.pause({ leadId });
    expect(await caller.followUps.forLead({ leadId })).toMatchObject({ idle: "paused", waitingForOwner: true });
    await expect(caller.followUps.resume({ leadId, followUpNow: true })).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
      message: expect.stringContaining("mark it as handled"),
    });
    expect((await caller.followUps.forLead({ leadId })).paused).toBe(true);
    expect(await caller.followUps.resume({ leadId })).toEqual({ followUpQueued: false });
    expect(await caller.followUps.forLead({ leadId })).toMatchObject({ idle: "waiting_for_owner", paused: false });
  });

  it("goes when the owner clears it, once", async () => {
    expect(await callerFor(owner).leads.clearNeedsOwner({ leadId })).toEqual({ cleared: true, followUpQueued: false });
    expect(await callerFor(owner).followUps.forLead({ leadId })).toMatchObject({ idle: "not_started", waitingForOwner: false });
    expect((await callerFor(owner).leads.byId({ id: leadId })).needsOwner).toBeNull();
    expect(await callerFor(owner).leads.clearNeedsOwner({ leadId })).toEqual({ cleared: false, followUpQueued: false });
  });
});

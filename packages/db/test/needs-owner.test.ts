import { NEEDS_OWNER_DETAIL_MAX_CHARS } from "@audnix/core";
import { beforeAll, describe, expect, it } from "vitest";
import { beginSend, clearNeedsOwner } from "../src/index.ts";
import { createOwnerAndStranger, useTestDatabase } from "../src/testing/index.ts";

// leads.needs_owner_*: written with the reply that leaves the question to the owner, in one
// transaction, by the attempt that records it (docs/decisions/0021).

const t = useTestDatabase();
let owner: string;
let stranger: string;

beforeAll(async () => {
  ({ owner, stranger } = await createOwnerAndStranger(t.db));
});

async function newLead(externalId: string): Promise<string> {
  const lead = await t.db.asSystem((tx) => tx.lead.create({ data: { userId: owner, externalId, name: "Maria", channel: "sandbox" } }));
  return lead.id;
}

function state(leadId: string) {
  return t.db.asSystem(async (tx) => ({
    lead: await tx.lead.findUniqueOrThrow({ where: { id: leadId }, select: { needsOwnerAt: true, needsOwnerReason: true, needsOwnerDetail: true } }),
    messages: await tx.message.count({ where: { leadId } }),
  }));
}

const NOW = new Date("2026-06-10T10:00:00.000Z");
const send = (leadId: string, key: string, detail: string, userId = owner) =>
  beginSend(t.db, {
    userId,
    leadId,
    idempotencyKey: key,
    channel: "sandbox",
    author: "ai",
    followUpStep: null,
    body: "Good question! I'm checking with the team and we'll get back to you soon.",
    needsOwner: { reason: "unanswered_question", detail },
    now: NOW,
  });

describe("the needs-owner flag", () => {
  it("is set with the reply's message, the question cut to its limit", async () => {
    const leadId = await newLead("sandbox-flag-1");
    expect(await send(leadId, `reply:${leadId}`, `Do you sell surfboards? ${"x".repeat(1_000)}`)).toMatchObject({ created: true });
    const { lead, messages } = await state(leadId);
    expect(messages).toBe(1);
    expect(lead).toMatchObject({ needsOwnerAt: NOW, needsOwnerReason: "unanswered_question" });
    expect(lead.needsOwnerDetail?.length).toBe(NEEDS_OWNER_DETAIL_MAX_CHARS);
  });

  it("is not set again by a retried attempt once the owner cleared it", async () => {
    const leadId = await newLead("sandbox-flag-2");
    await send(leadId, `reply:${leadId}`, "Do you rent kites?");
    expect(await clearNeedsOwner(t.db, { userId: owner, leadId, now: NOW })).toEqual({ cleared: true, followUpQueued: false });
    expect(await send(leadId, `reply:${leadId}`, "Do you rent kites?")).toMatchObject({ created: false });
    expect((await state(leadId)).lead).toEqual({ needsOwnerAt: null, needsOwnerReason: null, needsOwnerDetail: null });
  });

  it("writes nothing for another owner's lead, neither the message nor the flag", async () => {
    const leadId = await newLead("sandbox-flag-3");
    await expect(send(leadId, `reply:${leadId}`, "Do you rent kites?", stranger)).rejects.toThrow();
    expect(await state(leadId)).toEqual({ lead: { needsOwnerAt: null, needsOwnerReason: null, needsOwnerDetail: null }, messages: 0 });
  });

  it("keeps its time and reason together", async () => {
    const leadId = await newLead("sandbox-flag-4");
    await expect(t.db.asSystem((tx) => tx.lead.update({ where: { id: leadId }, data: { needsOwnerAt: NOW } }))).rejects.toThrow();
  });
});

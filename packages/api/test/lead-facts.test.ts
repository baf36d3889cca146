import { createOwnerAndStranger, useTestDatabase } from "@audnix/db/testing";
import { listenForLiveEvents, saveExtractedFacts, type LiveEvent } from "@audnix/db";
import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createCaller, createTrpcContext } from "../src/index.ts";

const NOW = new Date("2026-12-03T12:00:00.000Z");
const t = useTestDatabase();
let owner: string;
let stranger: string;
let leadId: string;

// A clock that moves a second per reading: the owner's entries have an order.
let ticks = 0;
const clock = () => new Date(NOW.getTime() + 1_000 * ticks++);
const callerFor = (userId: string) => createCaller(createTrpcContext({ db: t.db, userId, now: clock }));

beforeAll(async () => {
  ({ owner, stranger } = await createOwnerAndStranger(t.db, "growth"));
});

beforeEach(async () => {
  leadId = await t.db.asSystem(async (tx) => {
    await tx.lead.deleteMany({});
    const lead = await tx.lead.create({ data: { userId: owner, channel: "instagram", externalId: "igsid-sam", name: "Sam Lee" } });
    return lead.id;
  });
});

/** A message of the lead's, read by the rules, as the lead:facts job stores it. */
async function leadWrote(body: string, facts: { kind: "email" | "preferred_name" | "interest"; value: string }[]) {
  const message = await t.db.asSystem((tx) =>
    tx.message.create({ data: { userId: owner, leadId, channel: "instagram", direction: "inbound", author: "lead", body, sentAt: NOW } }),
  );
  return saveExtractedFacts(t.db, {
    userId: owner,
    message: { id: message.id, leadId, body, sentAt: message.sentAt, leadBlocked: false },
    facts: facts.map((fact) => ({ ...fact, source: "rules" as const })),
    now: NOW,
  });
}

describe("leadFacts", () => {
  it("lists facts in words with where they came from", async () => {
    await leadWrote("call me Sam, sam@shop.example", [
      { kind: "email", value: "sam@shop.example" },
      { kind: "preferred_name", value: "Sam" },
    ]);
    const facts = await callerFor(owner).leadFacts.list({ leadId });
    expect(facts.map(({ words, origin, source }) => ({ words, origin, source }))).toEqual([
      { words: "Email: sam@shop.example", origin: "from the message of 3 Dec", source: "rules" },
      { words: "Prefers to be called Sam", origin: "from the message of 3 Dec", source: "rules" },
    ]);
    // The lead's empty email field was filled from the message, with an audit row.
    const lead = await t.db.asSystem((tx) => tx.lead.findUniqueOrThrow({ where: { id: leadId } }));
    expect(lead.email).toBe("sam@shop.example");
    const audit = await t.db.asSystem((tx) => tx.auditLog.findMany({ where: { target: leadId }, select: { action: true } }));
    expect(audit).toContainEqual({ action: "lead.email_filled" });
  });

  it("tells an open lead page when new facts land, and stays quiet when a message says nothing new", async () => {
    const events: LiveEvent[] = [];
    let listening!: () => void;
    const ready = new Promise<void>((resolve) => (listening = resolve));
    const listener = listenForLiveEvents(t.appUrl, (event) => events.push(event), { onListening: () => listening() });
    try {
      await ready;
      await leadWrote("call me Sam", [{ kind: "preferred_name", value: "Sam" }]);
      await leadWrote("Sam here again", [{ kind: "preferred_name", value: "Sam" }]);
      // A marker after both: once it arrives, every earlier notification has been delivered.
      await t.db.pool.query("SELECT pg_notify('audnix_live', $1)", [JSON.stringify({ userId: owner, type: "lead.created", leadId })]);
      await vi.waitFor(() => expect(events.at(-1)?.type).toBe("lead.created"));
      expect(events).toEqual([
        { userId: owner, type: "lead.updated", leadId },
        { userId: owner, type: "lead.created", leadId },
      ]);
    } finally {
      await listener.close();
    }
  });

  it("keeps the owner's correction over a later automatic value of the same kind", async () => {
    await leadWrote("call me Samuel", [{ kind: "preferred_name", value: "Samuel" }]);
    const caller = callerFor(owner);
    const [name] = await caller.leadFacts.list({ leadId });
    const corrected = await caller.leadFacts.update({ factId: name?.id ?? "", value: "Sam" });
    expect(corrected).toMatchObject({ value: "Sam", source: "owner", origin: "added or corrected by you" });

    await leadWrote("I'm Samuel", [{ kind: "preferred_name", value: "Samuel" }]);
    expect((await caller.leadFacts.list({ leadId })).map((fact) => fact.words)).toEqual(["Prefers to be called Sam"]);
  });

  it("adds, normalizes and validates per kind; single values replace, interests add up", async () => {
    const caller = callerFor(owner);
    expect(await caller.leadFacts.add({ leadId, kind: "phone", value: "+49 (151) 2345-6789" })).toMatchObject({ value: "+4915123456789" });
    await caller.leadFacts.add({ leadId, kind: "phone", value: "+34 612 34 56 78" });
    await caller.leadFacts.add({ leadId, kind: "interest", value: "gold rings" });
    await caller.leadFacts.add({ leadId, kind: "interest", value: "earrings" });
    expect((await caller.leadFacts.list({ leadId })).map((fact) => fact.words)).toEqual([
      "Phone: +34612345678",
      "Interested in gold rings",
      "Interested in earrings",
    ]);
    // The first number the owner gave filled the empty field; the second does not overwrite it.
    expect((await t.db.asSystem((tx) => tx.lead.findUniqueOrThrow({ where: { id: leadId } }))).phone).toBe("+4915123456789");

    await expect(caller.leadFacts.add({ leadId, kind: "phone", value: "0151 2345" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(caller.leadFacts.add({ leadId, kind: "timezone", value: "Mars/Base" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    // @ts-expect-error a kind that does not exist
    await expect(caller.leadFacts.add({ leadId, kind: "shoe_size", value: "42" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    const [phone] = await caller.leadFacts.list({ leadId });
    await expect(caller.leadFacts.update({ factId: phone?.id ?? "", value: "call me" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: "Enter the number with its country code, such as +49 151 12345678.",
    });
  });

  it("removes a fact", async () => {
    const caller = callerFor(owner);
    const fact = await caller.leadFacts.add({ leadId, kind: "budget", value: "$200" });
    await caller.leadFacts.remove({ factId: fact.id });
    expect(await caller.leadFacts.list({ leadId })).toEqual([]);
    await expect(caller.leadFacts.remove({ factId: fact.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("shows, changes and deletes nothing of another owner's lead", async () => {
    const fact = await callerFor(owner).leadFacts.add({ leadId, kind: "location", value: "Berlin" });
    const theirs = callerFor(stranger);
    await expect(theirs.leadFacts.list({ leadId })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(theirs.leadFacts.add({ leadId, kind: "location", value: "Paris" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(theirs.leadFacts.update({ factId: fact.id, value: "Paris" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(theirs.leadFacts.remove({ factId: fact.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await callerFor(owner).leadFacts.list({ leadId })).map((f) => f.value)).toEqual(["Berlin"]);
  });
});

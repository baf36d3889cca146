import { beforeAll, describe, expect, it } from "vitest";
import { loadConversation, loadMessagesToSummarize, saveConversationSummary } from "../src/index.ts";
import { useTestDatabase } from "../src/testing/index.ts";

// semantic_memory holds one summary per lead, written only when it still covers what the writer
// read, and like every tenant table it is invisible and unwritable to another owner.

const t = useTestDatabase();
let alice: string;
let bob: string;
let aliceLead: string;
const start = new Date("2026-06-10T10:00:00Z").getTime();
const minute = (n: number) => new Date(start + n * 60_000);

beforeAll(async () => {
  [alice, bob] = await t.db.asSystem(async (tx) => {
    const a = await tx.user.create({ data: { email: "alice-memory@example.com" } });
    const b = await tx.user.create({ data: { email: "bob-memory@example.com" } });
    return [a.id, b.id];
  });
  aliceLead = await t.db.asSystem(async (tx) => {
    const lead = await tx.lead.create({ data: { userId: alice, externalId: "sb-1", channel: "sandbox", name: "Maya" } });
    await tx.message.createMany({
      data: Array.from({ length: 10 }, (_, index) => ({
        userId: alice,
        leadId: lead.id,
        channel: "sandbox" as const,
        direction: index % 2 === 0 ? ("inbound" as const) : ("outbound" as const),
        author: index % 2 === 0 ? ("lead" as const) : ("ai" as const),
        body: `message ${index}`,
        sentAt: minute(index),
        // Message 7 was refused by the vendor: it never reached the lead.
        ...(index % 2 === 0 ? {} : { deliveryStatus: index === 7 ? ("failed" as const) : ("sent" as const) }),
      })),
    });
    return lead.id;
  });
});

const summary = (overrides: Partial<Parameters<typeof saveConversationSummary>[1]> = {}) => ({
  userId: alice,
  leadId: aliceLead,
  expectedCoversUntil: null,
  content: "Lead asked: Do you have evening classes?",
  coversUntil: minute(3),
  addedMessages: 4,
  embedding: null,
  now: minute(20),
  ...overrides,
});

describe("conversation memory", () => {
  it("loads the newest messages that reached the lead, oldest first, and when the conversation goes further back", async () => {
    const loaded = await loadConversation(t.db, { userId: alice, leadId: aliceLead, limit: 4 });
    expect(loaded.messages.map((message) => message.body)).toEqual(["message 6", "message 8", "message 9"]);
    expect(loaded.earlierAt).toEqual(minute(5));
    expect(loaded.summary).toBeNull();
    const whole = await loadConversation(t.db, { userId: alice, leadId: aliceLead, limit: 50 });
    expect(whole.earlierAt).toBeNull();
    expect(whole.messages).toHaveLength(9);
  });

  it("reads a batch between the summary and the window, failed sends left out but covered", async () => {
    const batch = await loadMessagesToSummarize(t.db, { userId: alice, leadId: aliceLead, after: minute(3), before: minute(9), limit: 4 });
    expect(batch.messages.map((message) => message.body)).toEqual(["message 4", "message 5", "message 6"]);
    expect(batch).toMatchObject({ coversUntil: minute(7), rowsRead: 4, more: true });
    const rest = await loadMessagesToSummarize(t.db, { userId: alice, leadId: aliceLead, after: minute(7), before: minute(9), limit: 4 });
    expect(rest).toMatchObject({ coversUntil: minute(8), rowsRead: 1, more: false });
  });

  it("never ends a batch between two messages of the same millisecond", async () => {
    const lead = await t.db.asSystem(async (tx) => {
      const created = await tx.lead.create({ data: { userId: alice, externalId: "sb-ties", channel: "sandbox" } });
      await tx.message.createMany({
        data: [0, 1, 1, 2].map((at, index) => ({ userId: alice, leadId: created.id, channel: "sandbox" as const, direction: "inbound" as const, author: "lead" as const, body: `tie ${index}`, sentAt: minute(at) })),
      });
      return created.id;
    });
    const first = await loadMessagesToSummarize(t.db, { userId: alice, leadId: lead, after: null, before: minute(9), limit: 2 });
    expect(first).toMatchObject({ coversUntil: minute(0), rowsRead: 1, more: true });
    const second = await loadMessagesToSummarize(t.db, { userId: alice, leadId: lead, after: minute(0), before: minute(9), limit: 2 });
    expect(second.messages.map((message) => message.body).sort()).toEqual(["tie 1", "tie 2"]);
    expect(second).toMatchObject({ coversUntil: minute(1), more: true });
  });

  it("keeps one summary per lead and replaces it only when it still covers what the writer read", async () => {
    expect(await saveConversationSummary(t.db, summary())).toBe("saved");
    // A second first summary (a run that raced the first) changes nothing.
    expect(await saveConversationSummary(t.db, summary({ content: "other" }))).toBe("stale");
    expect(await saveConversationSummary(t.db, summary({ expectedCoversUntil: minute(1), content: "stale" }))).toBe("stale");
    expect(
      await saveConversationSummary(
        t.db,
        summary({ expectedCoversUntil: minute(3), content: "Lead asked: Do you have evening classes?\nLead said: I work late.", coversUntil: minute(5), addedMessages: 2, embedding: { model: "m", vector: [0.5, -0.25] }, now: minute(30) }),
      ),
    ).toBe("saved");
    const rows = await t.db.asUser(alice, (tx) => tx.semanticMemory.findMany({ where: { leadId: aliceLead } }));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      kind: "conversation_summary",
      coversUntil: minute(5),
      messageCount: 6,
      embedding: [0.5, -0.25],
      embeddingModel: "m",
      createdAt: minute(20),
      updatedAt: minute(30),
    });
    expect((await loadConversation(t.db, { userId: alice, leadId: aliceLead, limit: 4 })).summary).toMatchObject({ coversUntil: minute(5), messageCount: 6 });
  });

  it("hides the summary from another owner and refuses their writes (row-level security)", async () => {
    const asBob = await loadConversation(t.db, { userId: bob, leadId: aliceLead, limit: 10 });
    expect(asBob).toEqual({ messages: [], earlierAt: null, summary: null });
    const seen = await t.db.asUser(bob, (tx) => tx.$queryRaw<unknown[]>`SELECT content FROM semantic_memory`);
    expect(seen).toEqual([]);
    const changed = await t.db.asUser(bob, (tx) => tx.$executeRaw`UPDATE semantic_memory SET content = 'pwned' WHERE lead_id = ${aliceLead}::uuid`);
    expect(changed).toBe(0);
    // The lead is read under row-level security: Bob's job cannot write a summary for Alice's lead.
    expect(await saveConversationSummary(t.db, summary({ userId: bob, expectedCoversUntil: minute(5), content: "pwned" }))).toBe("stale");
    await expect(
      t.db.asUser(bob, (tx) => tx.$executeRaw`INSERT INTO semantic_memory (user_id, lead_id, kind, content, covers_until) VALUES (${alice}::uuid, ${aliceLead}::uuid, 'conversation_summary', 'x', now())`),
    ).rejects.toThrow(/row-level security/);
    const rows = await t.db.asSystem((tx) => tx.semanticMemory.findMany({ where: { leadId: aliceLead } }));
    expect(rows.map((row) => row.content)).toEqual(["Lead asked: Do you have evening classes?\nLead said: I work late."]);
  });
});

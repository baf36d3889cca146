import { createHashingEmbedder, type KnowledgeIngestPayload } from "@audnix/core";
import { runKnowledgeIngestStep } from "@audnix/db";
import { createOwnerAndStranger, useTestDatabase } from "@audnix/db/testing";
import { beforeAll, describe, expect, it } from "vitest";
import { createCaller, createTrpcContext } from "../src/index.ts";

const t = useTestDatabase();
let owner: string;
let stranger: string;

beforeAll(async () => {
  ({ owner, stranger } = await createOwnerAndStranger(t.db));
});

const callerFor = (userId: string | null, embedder = createHashingEmbedder(32)) =>
  createCaller(createTrpcContext({ db: t.db, userId, embedder }));

/** Indexes the owner's waiting documents as knowledge:ingest would (apps/jobs runs the real worker). */
async function indexWaitingDocuments(userId: string, embedder = createHashingEmbedder(32)) {
  const waiting = await t.db.asUser(userId, (tx) => tx.knowledgeDocument.findMany({ where: { status: "processing" }, select: { id: true } }));
  for (const { id } of waiting) {
    let next: KnowledgeIngestPayload | null = { userId, documentId: id };
    while (next) {
      const step = await runKnowledgeIngestStep(t.db, embedder, next);
      next = step.outcome === "continued" ? step.next : null;
    }
  }
}

describe("knowledge router", () => {
  it("adds a document and an FAQ, lists them processing, then ready with their chunk counts", async () => {
    const api = callerFor(owner);
    const text = "# Hours\nOpen Tuesday to Sunday, 11:00-20:00.\n\n# Parking\nFree parking behind the shop.";
    const doc = await api.knowledge.addDocument({ title: " Store guide ", text });
    const faq = await api.knowledge.addFaq({ question: "Do you do alterations?", answer: "Yes: hems and sleeves, from 12 EUR, ready in 3 days." });
    const pasted = { sizeBytes: null, sourceUrl: null, filename: null, createdAt: expect.any(Date), updatedAt: expect.any(Date) };
    // An FAQ is kept as "Q: <question>\nA: <answer>".
    const faqChars = "Q: Do you do alterations?\nA: Yes: hems and sleeves, from 12 EUR, ready in 3 days.".length;
    expect((await api.knowledge.list()).documents).toEqual([
      { id: faq.id, title: "Do you do alterations?", kind: "faq", status: "processing", chunks: 0, sizeChars: faqChars, ...pasted },
      { id: doc.id, title: "Store guide", kind: "text", status: "processing", chunks: 0, sizeChars: text.length, ...pasted },
    ]);
    await indexWaitingDocuments(owner);
    expect((await api.knowledge.list()).documents).toEqual([
      { id: faq.id, title: "Do you do alterations?", kind: "faq", status: "ready", chunks: 1, sizeChars: faqChars, ...pasted },
      { id: doc.id, title: "Store guide", kind: "text", status: "ready", chunks: 2, sizeChars: text.length, ...pasted },
    ]);
  });

  it("finds the passage for a lead's question (singular for plural, by prefix), with title and score", async () => {
    const { results } = await callerFor(owner).knowledge.search({ query: "how much for an alteration??", limit: 3 });
    expect(results[0]).toMatchObject({ title: "Do you do alterations?", text: expect.stringContaining("from 12 EUR") });
    expect(results[0]?.score).toBeGreaterThan(0);
    const parking = await callerFor(owner).knowledge.search({ query: "where can I park" });
    expect(parking.results[0]?.text).toContain("Free parking");
  });

  it("never shows, finds or deletes one owner's knowledge for another", async () => {
    const other = callerFor(stranger);
    expect((await other.knowledge.list()).documents).toEqual([]);
    expect((await other.knowledge.search({ query: "alterations hours parking" })).results).toEqual([]);
    const [first] = (await callerFor(owner).knowledge.list()).documents;
    await expect(other.knowledge.remove({ id: first?.id ?? "" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await callerFor(owner).knowledge.list()).documents).toHaveLength(2);
  });

  it("refuses empty and over-long input with a sentence, and anonymous calls", async () => {
    const api = callerFor(owner);
    await expect(api.knowledge.addDocument({ title: "  ", text: "x" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(api.knowledge.addFaq({ question: "Q?", answer: "a".repeat(5_001) })).rejects.toThrow(/Keep the answer under 5,000 characters/);
    await expect(api.knowledge.search({ query: "q".repeat(1_001) })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(callerFor(null).knowledge.list()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });

  it("removes a document with its chunks; it is no longer found", async () => {
    const api = callerFor(owner);
    const faq = (await api.knowledge.list()).documents.find((d) => d.kind === "faq");
    await api.knowledge.remove({ id: faq?.id ?? "" });
    // The vector ranking always has nearest neighbours; none of them is the removed FAQ.
    const { results } = await api.knowledge.search({ query: "alterations" });
    expect(results.map((result) => result.documentId)).not.toContain(faq?.id);
    await expect(api.knowledge.remove({ id: faq?.id ?? "" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("re-indexes a document: processing at once, then ready with the very same chunks (same hash)", async () => {
    const api = callerFor(owner);
    const [document] = (await api.knowledge.list()).documents.filter((d) => d.kind === "text");
    const chunkIds = () => t.db.asUser(owner, (tx) => tx.knowledgeChunk.findMany({ where: { documentId: document?.id ?? "" }, select: { id: true } }));
    const before = await chunkIds();
    expect(await api.knowledge.reindex({ id: document?.id ?? "" })).toEqual({ id: document?.id });
    expect((await api.knowledge.list()).documents.find((d) => d.id === document?.id)?.status).toBe("processing");
    await indexWaitingDocuments(owner);
    expect((await api.knowledge.list()).documents.find((d) => d.id === document?.id)).toMatchObject({ status: "ready", chunks: 2 });
    expect(await chunkIds()).toEqual(before);
  });

  it("lets no one re-index another owner's document", async () => {
    const [document] = (await callerFor(owner).knowledge.list()).documents;
    await expect(callerFor(stranger).knowledge.reindex({ id: document?.id ?? "" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await callerFor(owner).knowledge.list()).documents.find((d) => d.id === document?.id)?.status).toBe("ready");
    await expect(callerFor(null).knowledge.reindex({ id: document?.id ?? "" })).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });

  it("adds a website by address: listed processing with its address, its crawl queued on the owner's queue", async () => {
    const api = callerFor(owner);
    const { id } = await api.knowledge.addUrl({ url: " https://shop.example/faq#returns " });
    expect((await api.knowledge.list()).documents.find((d) => d.id === id)).toEqual({
      id,
      title: "shop.example/faq",
      kind: "url",
      status: "processing",
      chunks: 0,
      sizeBytes: null,
      sizeChars: 0,
      sourceUrl: "https://shop.example/faq",
      filename: null,
      createdAt: expect.any(Date),
      updatedAt: expect.any(Date),
    });
    const jobs = await t.db.asSystem((tx) =>
      tx.$queryRaw<Array<{ task_identifier: string; queue_name: string }>>`
        SELECT task_identifier, queue_name FROM graphile_worker.jobs WHERE key = ${`knowledge:crawl:${id}`}`,
    );
    expect(jobs).toEqual([{ task_identifier: "knowledge:crawl", queue_name: `knowledge:${owner}` }]);
    expect((await callerFor(stranger).knowledge.list()).documents.map((d) => d.id)).not.toContain(id);
  });

  it.each([
    ["ftp://shop.example/faq", "Only http and https addresses can be added."],
    ["shop.example", "Enter a full web address, such as https://example.com/faq."],
    ["https://user:secret@shop.example/", "Remove the user name and password from the address."],
    ["", "Enter the website's address."],
  ])("refuses the address %j with a sentence", async (url, message) => {
    const refusal = callerFor(owner).knowledge.addUrl({ url });
    await expect(refusal).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(refusal).rejects.toThrow(message);
  });
});

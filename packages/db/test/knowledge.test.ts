import { createHashingEmbedder, faqChunk, type KnowledgeIngestPayload } from "@audnix/core";
import { beforeAll, describe, expect, it } from "vitest";
import {
  addKnowledgeDocument,
  listKnowledgeDocuments,
  removeKnowledgeDocument,
  runKnowledgeIngestStep,
  searchKnowledge,
  type Db,
} from "../src/index.ts";
import { createOwnerAndStranger, useTestDatabase } from "../src/testing/index.ts";

const t = useTestDatabase();
let owner: string;
let stranger: string;

beforeAll(async () => {
  ({ owner, stranger } = await createOwnerAndStranger(t.db));
});

/** Runs knowledge:ingest's steps as the worker would, continuation after continuation. */
async function indexFully(db: Db, payload: KnowledgeIngestPayload, embedder = null as ReturnType<typeof createHashingEmbedder> | null) {
  const outcomes: string[] = [];
  let next: KnowledgeIngestPayload | null = payload;
  while (next) {
    const step = await runKnowledgeIngestStep(db, embedder, next);
    outcomes.push(step.outcome);
    next = step.outcome === "continued" ? step.next : null;
  }
  return outcomes;
}

const handbook = [
  "# Opening hours",
  "We are open Monday to Saturday from 10:00 to 19:00. On Sundays the shop is closed.",
  "# Shipping",
  "Orders ship within two working days. Delivery to Spain and Portugal takes 3-5 days and costs 4.90 EUR.",
  "# Returns",
  "You can return unworn items within 30 days for a full refund.",
].join("\n\n");

describe("knowledge ingestion and search", () => {
  it("queues indexing with the document, then makes it searchable with one chunk per section", async () => {
    const { id } = await addKnowledgeDocument(t.db, owner, { kind: "text", title: "Handbook", content: handbook });
    const queued = await t.db.pool.query<{ key: string }>(
      "SELECT key FROM graphile_worker.jobs WHERE task_identifier = 'knowledge:ingest'",
    );
    expect(queued.rows.map((row) => row.key)).toContain(`knowledge:ingest:${id}`);
    expect((await listKnowledgeDocuments(t.db, owner)).find((d) => d.id === id)?.status).toBe("processing");
    expect(await searchKnowledge(t.db, { userId: owner, query: "are you open on sunday?", limit: 5 })).toEqual([]);

    expect(await indexFully(t.db, { userId: owner, documentId: id })).toEqual(["ready"]);
    expect((await listKnowledgeDocuments(t.db, owner)).find((d) => d.id === id)).toMatchObject({ status: "ready", chunks: 3, error: null });

    const [best] = await searchKnowledge(t.db, { userId: owner, query: "Are you open on sundays??", limit: 5 });
    expect(best?.text).toContain("On Sundays the shop is closed");
    const [shipping] = await searchKnowledge(t.db, { userId: owner, query: "how much is shiping to portugal", limit: 5 });
    expect(shipping?.text).toContain("4.90 EUR");
    // The heading above a passage is indexed with it.
    const [returns] = await searchKnowledge(t.db, { userId: owner, query: "RETURNS", limit: 1 });
    expect(returns?.title).toBe("Handbook");
    expect(returns?.text).toContain("30 days");
  });

  it("re-indexing the same input is a no-op; other input replaces the chunks", async () => {
    const { id } = await addKnowledgeDocument(t.db, owner, { kind: "faq", title: "Gift wrap?", content: faqChunk("Do you gift wrap?", "Yes, free of charge.").content });
    expect(await indexFully(t.db, { userId: owner, documentId: id })).toEqual(["ready"]);
    expect(await indexFully(t.db, { userId: owner, documentId: id })).toEqual(["unchanged"]);
    // With an embedder the input differs (the vectors are part of the index).
    expect(await indexFully(t.db, { userId: owner, documentId: id }, createHashingEmbedder(64))).toEqual(["ready"]);
    const chunks = await t.db.asUser(owner, (tx) => tx.knowledgeChunk.findMany({ where: { documentId: id } }));
    expect(chunks).toHaveLength(1);
    expect(chunks[0]?.embedding).toHaveLength(64);
  });

  it("indexes a long document in bounded batches, each run queueing the next", async () => {
    const long = Array.from({ length: 150 }, (_, i) => `## Item ${i}\nThe product number ${i} is made of linen and cotton.`).join("\n\n");
    const { id } = await addKnowledgeDocument(t.db, owner, { kind: "text", title: "Catalogue", content: long });
    const outcomes = await indexFully(t.db, { userId: owner, documentId: id });
    expect(outcomes).toEqual(["continued", "continued", "ready"]);
    expect((await listKnowledgeDocuments(t.db, owner)).find((d) => d.id === id)?.chunks).toBe(150);
  });

  it("ranks by embeddings too (exact cosine on real[] without pgvector), fused with the lexical ranking", async () => {
    const embedder = createHashingEmbedder(256);
    const { id } = await addKnowledgeDocument(t.db, owner, { kind: "text", title: "Care", content: "# Care\nWash the wool sweaters cold, by hand." });
    await indexFully(t.db, { userId: owner, documentId: id }, embedder);
    const [queryEmbedding] = await embedder.embed(["wool sweaters care"]);
    const results = await searchKnowledge(t.db, { userId: owner, query: "wool sweaters care", limit: 3, queryEmbedding: queryEmbedding ?? null });
    expect(results[0]?.documentId).toBe(id);
    // Found by both rankings: the fused score is above any single-list score (1/61).
    expect(results[0]?.score).toBeGreaterThan(1 / 61);
  });

  it("ranks the same through the indexes (large tenant plan) as row by row (small tenant plan)", async () => {
    const embedder = createHashingEmbedder(256);
    for (const query of ["Are you open on sundays??", "how much is shiping to portugal", "wool sweaters care"]) {
      const [queryEmbedding] = await embedder.embed([query]);
      const input = { userId: owner, query, limit: 5, queryEmbedding: queryEmbedding ?? null };
      const rowByRow = await searchKnowledge(t.db, input);
      expect(rowByRow.length).toBeGreaterThan(0);
      expect(await searchKnowledge(t.db, { ...input, tenantScanMaxChunks: 0 })).toEqual(rowByRow);
    }
  });

  it("never shows one owner's knowledge to another, and removal takes the chunks along", async () => {
    expect(await searchKnowledge(t.db, { userId: stranger, query: "open sundays shipping returns wool", limit: 5 })).toEqual([]);
    expect(await listKnowledgeDocuments(t.db, stranger)).toEqual([]);
    const [document] = await listKnowledgeDocuments(t.db, owner);
    expect(await removeKnowledgeDocument(t.db, stranger, document?.id ?? "")).toBe(false);
    expect(await removeKnowledgeDocument(t.db, owner, document?.id ?? "")).toBe(true);
    const left = await t.db.asUser(owner, (tx) => tx.knowledgeChunk.count({ where: { documentId: document?.id ?? "" } }));
    expect(left).toBe(0);
  });
});

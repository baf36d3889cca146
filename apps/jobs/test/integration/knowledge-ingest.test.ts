import { createLogger, KNOWLEDGE_FAILURE_NOTES } from "@audnix/core";
import { addKnowledgeDocument, listKnowledgeDocuments, searchKnowledge } from "@audnix/db";
import { createOwnerAndStranger, useTestDatabase } from "@audnix/db/testing";
import { createOpenAiEmbedder, FAKE_OPENAI_API_KEY, startFakeOpenAi, type FakeOpenAi } from "@audnix/integrations";
import type { Runner } from "graphile-worker";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startWorker } from "../../src/worker.ts";

const t = useTestDatabase();
let fake: FakeOpenAi;
let runner: Runner;
let owner: string;
const embedder = () => createOpenAiEmbedder({ apiKey: FAKE_OPENAI_API_KEY, baseURL: `${fake.url}/v1`, maxRetries: 0 });

beforeAll(async () => {
  fake = await startFakeOpenAi();
  ({ owner } = await createOwnerAndStranger(t.db));
  runner = await startWorker({
    env: { WORKER_CONCURRENCY: 2 },
    db: t.db,
    logger: createLogger({ level: "error", sink: () => {} }),
    embedder: embedder(),
  });
});

afterAll(async () => {
  await runner?.stop();
  await fake?.close();
});

async function settled(id: string) {
  let found: Awaited<ReturnType<typeof listKnowledgeDocuments>>[number] | undefined;
  await vi.waitFor(
    async () => {
      found = (await listKnowledgeDocuments(t.db, owner)).find((document) => document.id === id);
      expect(found?.status).not.toBe("processing");
    },
    { timeout: 20_000, interval: 50 },
  );
  return found;
}

describe("knowledge:ingest on a real worker", () => {
  it("indexes a long document batch after batch, with embeddings from the OpenAI-compatible server", async () => {
    const content = Array.from({ length: 100 }, (_, i) => `## Dress ${i}\nThe dress model ${i} comes in sizes S, M and L.`).join("\n\n");
    const { id } = await addKnowledgeDocument(t.db, owner, { kind: "text", title: "Dresses", content });
    expect(await settled(id)).toMatchObject({ status: "ready", chunks: 100, error: null });
    // Two batches of chunks, each embedded in one request at 1536 dimensions.
    expect(fake.embeddingRequests.map((request) => (Array.isArray(request.input) ? request.input.length : 1))).toEqual([64, 36]);
    expect(fake.embeddingRequests.every((request) => request.model === "text-embedding-3-small" && request.dimensions === 1536)).toBe(true);

    const [queryEmbedding] = await embedder().embed(["dress model 42 sizes"]);
    const [best] = await searchKnowledge(t.db, { userId: owner, query: "dress model 42 sizes", limit: 5, queryEmbedding: queryEmbedding ?? null });
    expect(best?.text).toContain("model 42 comes");
  });

  it("marks the document failed, in our words, when the embeddings service refuses the key", async () => {
    fake.failNext({ status: 401 });
    const { id } = await addKnowledgeDocument(t.db, owner, { kind: "text", title: "Hours", content: "Open daily 9-18." });
    expect(await settled(id)).toMatchObject({ status: "failed", error: KNOWLEDGE_FAILURE_NOTES.embeddingUnauthorized, chunks: 0 });
  });
});

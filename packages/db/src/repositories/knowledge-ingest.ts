import {
  chunkSearchText,
  chunkText,
  EMBEDDING_BATCH_SIZE,
  estimateTokens,
  INGEST_BATCH_CHUNKS,
  knowledgeIndexHash,
  searchConfigFor,
  type Embedder,
  type KnowledgeChunkDraft,
  type KnowledgeIngestPayload,
} from "@audnix/core";
import type { Db } from "../client.ts";
import { loadKnowledgeDocumentToIndex, markKnowledgeUnchanged, writeKnowledgeBatch, type IndexedChunk } from "./knowledge.ts";

export type IngestStep =
  | { outcome: "gone" }
  | { outcome: "unchanged" }
  /** A newer run started from other input; this continuation stops. */
  | { outcome: "superseded" }
  | { outcome: "empty" }
  | { outcome: "continued"; next: KnowledgeIngestPayload }
  | { outcome: "ready"; chunks: number };

/**
 * One run of knowledge:ingest: chunk the document (pure and fast, so every run re-chunks rather
 * than storing a plan), embed and write one batch, queue the rest. The same input as the last
 * finished index is a no-op.
 */
export async function runKnowledgeIngestStep(db: Db, embedder: Embedder | null, payload: KnowledgeIngestPayload): Promise<IngestStep> {
  const { userId, documentId } = payload;
  const fromChunk = payload.fromChunk ?? 0;
  const document = await loadKnowledgeDocumentToIndex(db, { userId, documentId });
  if (!document) return { outcome: "gone" };
  const hash = knowledgeIndexHash({ ...document, embedding: embedder ? { model: embedder.model, dimensions: embedder.dimensions } : null });
  // The hash is set only when a run finished, and cleared when one starts: equal means the chunks
  // are complete for this input, whatever a re-index set the status to meanwhile.
  if (fromChunk === 0 && document.contentHash === hash) {
    return (await markKnowledgeUnchanged(db, { userId, documentId, contentHash: hash })) ? { outcome: "unchanged" } : { outcome: "superseded" };
  }
  if (fromChunk > 0 && payload.indexHash !== hash) return { outcome: "superseded" };

  // An FAQ document's content is its one "Q: ... A: ..." pair (addFaq builds it).
  const drafts: KnowledgeChunkDraft[] =
    document.kind === "faq"
      ? [{ content: document.content, headingPath: [], tokenEstimate: estimateTokens(document.content) }]
      : chunkText(document.content);
  if (!drafts.length) return { outcome: "empty" };
  const batch = drafts.slice(fromChunk, fromChunk + INGEST_BATCH_CHUNKS);
  const embeddings = embedder ? await embedAll(embedder, batch.map((draft) => chunkSearchText(document.title, draft))) : null;
  const chunks: IndexedChunk[] = batch.map((draft, index) => ({
    ordinal: fromChunk + index,
    content: draft.content,
    headingPath: draft.headingPath,
    tokenEstimate: draft.tokenEstimate,
    searchHead: [document.title, ...draft.headingPath].join("\n"),
    embedding: embeddings?.[index] ?? null,
  }));
  const nextChunk = fromChunk + batch.length;
  const next = nextChunk < drafts.length ? { userId, documentId, fromChunk: nextChunk, indexHash: hash } : null;
  const written = await writeKnowledgeBatch(db, {
    userId,
    documentId,
    searchConfig: searchConfigFor(document.content),
    replace: fromChunk === 0,
    chunks,
    next,
    finish: next ? null : { contentHash: hash, chunkCount: drafts.length },
  });
  if (!written) return { outcome: "gone" };
  return next ? { outcome: "continued", next } : { outcome: "ready", chunks: drafts.length };
}

async function embedAll(embedder: Embedder, texts: string[]): Promise<number[][]> {
  const vectors: number[][] = [];
  for (let start = 0; start < texts.length; start += EMBEDDING_BATCH_SIZE) {
    vectors.push(...(await embedder.embed(texts.slice(start, start + EMBEDDING_BATCH_SIZE))));
  }
  return vectors;
}

import { createHash } from "node:crypto";
import { KNOWLEDGE_INDEX_VERSION } from "./jobs.ts";

export interface IndexInput {
  kind: string;
  title: string;
  content: string;
  /** The embedder's model and dimensions, or null when chunks are indexed without embeddings. */
  embedding: { model: string; dimensions: number } | null;
}

/** Identifies what a document's chunks were built from: the same hash means re-indexing is a no-op. */
export function knowledgeIndexHash(input: IndexInput): string {
  const parts = [KNOWLEDGE_INDEX_VERSION, input.kind, input.title, input.content, input.embedding?.model ?? null, input.embedding?.dimensions ?? null];
  return createHash("sha256").update(JSON.stringify(parts)).digest("hex");
}

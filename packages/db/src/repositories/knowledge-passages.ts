import { EmbeddingError, type Embedder, type KnowledgeSource } from "@audnix/core";
import type { Db } from "../client.ts";
import { searchKnowledge } from "./knowledge-search.ts";

export interface KnowledgeSourceOptions {
  /** Embeds the query for the vector ranking; null: full-text search only. */
  embedder: Embedder | null;
  /** Told when the query could not be embedded (the search then ran on full text alone). */
  onEmbeddingFailure?: (error: EmbeddingError) => void;
}

/**
 * The follow-up engine's and the preview's KnowledgeSource: the owner's knowledge searched for the
 * lead's words (core's knowledgeQueryFor builds them), lexical always and fused with the vector
 * ranking when an embedder is configured. A failed query embedding costs the vector half only:
 * a reply grounded on full text beats no reply while the embeddings server is down.
 */
export function createKnowledgeSource(db: Db, options: KnowledgeSourceOptions): KnowledgeSource {
  return {
    async findPassages({ userId, query, limit }) {
      // Most leads of a new account write before it has any knowledge: no embeddings request then.
      const indexed = await db.asUser(userId, (tx) => tx.knowledgeDocument.count({ where: { userId, status: "ready", chunkCount: { gt: 0 } } }));
      if (indexed === 0) return [];
      let queryEmbedding: number[] | null = null;
      if (options.embedder) {
        try {
          queryEmbedding = (await options.embedder.embed([query]))[0] ?? null;
        } catch (error) {
          if (!(error instanceof EmbeddingError)) throw error;
          options.onEmbeddingFailure?.(error);
        }
      }
      const results = await searchKnowledge(db, { userId, query, limit, queryEmbedding });
      return results.map(({ documentId, title, text, score }) => ({ documentId, title, text, score }));
    },
  };
}

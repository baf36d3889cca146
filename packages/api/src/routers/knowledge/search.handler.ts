import { EmbeddingError } from "@audnix/core";
import { searchKnowledge } from "@audnix/db";
import type { ProtectedContext } from "../../trpc.ts";
import type { SearchKnowledgeInput } from "./search.schema.ts";

export async function searchKnowledgeHandler({ ctx, input }: { ctx: ProtectedContext; input: SearchKnowledgeInput }) {
  const results = await searchKnowledge(ctx.db, {
    userId: ctx.userId,
    query: input.query,
    limit: input.limit,
    queryEmbedding: await queryEmbedding(ctx, input.query),
  });
  return { results: results.map(({ documentId, title, text, score }) => ({ documentId, title, text, score })) };
}

// Full-text search answers on its own: an embeddings outage costs the vector ranking, not the search.
async function queryEmbedding(ctx: ProtectedContext, query: string): Promise<number[] | null> {
  if (!ctx.embedder || query.trim() === "") return null;
  try {
    return (await ctx.embedder.embed([query]))[0] ?? null;
  } catch (error) {
    if (error instanceof EmbeddingError) return null;
    throw error;
  }
}

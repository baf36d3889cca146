import { reindexKnowledgeDocument } from "@audnix/db";
import { TRPCError } from "@trpc/server";
import type { ProtectedContext } from "../../trpc.ts";
import type { ReindexDocumentInput } from "./reindex.schema.ts";

/** Queues the document's extraction, crawl or chunking again; it shows processing until that ends. */
export async function reindexDocumentHandler({ ctx, input }: { ctx: ProtectedContext; input: ReindexDocumentInput }) {
  // Row-level security hides other owners' documents, so "not yours" and "gone" look the same.
  const reindexed = await reindexKnowledgeDocument(ctx.db, ctx.userId, input.id);
  if (!reindexed) throw new TRPCError({ code: "NOT_FOUND", message: "Document not found." });
  return reindexed;
}

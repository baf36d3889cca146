import { listKnowledgeDocuments } from "@audnix/db";
import type { ProtectedContext } from "../../trpc.ts";

export async function listDocumentsHandler({ ctx }: { ctx: ProtectedContext }) {
  const documents = await listKnowledgeDocuments(ctx.db, ctx.userId);
  return {
    documents: documents.map(({ id, title, kind, status, chunks, error, sizeBytes, sourceUrl, filename, updatedAt }) => ({
      id,
      title,
      kind,
      status,
      chunks,
      ...(status === "failed" && error !== null ? { error } : {}),
      sizeBytes,
      sourceUrl,
      filename,
      updatedAt,
    })),
  };
}

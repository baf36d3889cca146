import { listKnowledgeDocuments } from "@audnix/db";
import type { ProtectedContext } from "../../trpc.ts";

export async function listDocumentsHandler({ ctx }: { ctx: ProtectedContext }) {
  const documents = await listKnowledgeDocuments(ctx.db, ctx.userId);
  return {
    documents: documents.map(({ id, title, kind, status, chunks, error, sizeBytes, sizeChars, sourceUrl, filename, createdAt, updatedAt }) => ({
      id,
      title,
      kind,
      status,
      chunks,
      ...(status === "failed" && error !== null ? { error } : {}),
      sizeBytes,
      /** Characters of text the source holds (every kind; for text and FAQ the only size there is). */
      sizeChars,
      sourceUrl,
      filename,
      createdAt,
      updatedAt,
    })),
  };
}

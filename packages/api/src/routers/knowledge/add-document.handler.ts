import { addKnowledgeDocument, type NewKnowledgeDocument } from "@audnix/db";
import type { ProtectedContext } from "../../trpc.ts";
import type { AddDocumentInput } from "./add-document.schema.ts";
import { knowledgeLimitToTrpc } from "./knowledge-errors.ts";

export async function addDocumentHandler({ ctx, input }: { ctx: ProtectedContext; input: AddDocumentInput }) {
  return addOwnerDocument(ctx, { kind: "text", title: input.title, content: input.text });
}

/** Stores the document and queues its indexing; the answer comes before indexing ends. */
export async function addOwnerDocument(ctx: ProtectedContext, document: NewKnowledgeDocument): Promise<{ id: string }> {
  try {
    return await addKnowledgeDocument(ctx.db, ctx.userId, document);
  } catch (error) {
    throw knowledgeLimitToTrpc(error);
  }
}

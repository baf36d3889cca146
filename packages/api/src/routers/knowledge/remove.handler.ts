import { removeKnowledgeDocument } from "@audnix/db";
import { TRPCError } from "@trpc/server";
import type { ProtectedContext } from "../../trpc.ts";
import type { RemoveDocumentInput } from "./remove.schema.ts";

export async function removeDocumentHandler({ ctx, input }: { ctx: ProtectedContext; input: RemoveDocumentInput }) {
  // Row-level security hides other owners' documents, so "not yours" and "gone" look the same.
  if (!(await removeKnowledgeDocument(ctx.db, ctx.userId, input.id))) {
    throw new TRPCError({ code: "NOT_FOUND", message: "Document not found." });
  }
  return { id: input.id };
}

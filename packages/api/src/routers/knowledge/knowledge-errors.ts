import { KNOWLEDGE_DOCUMENTS_PER_USER_MAX } from "@audnix/core";
import { KnowledgeLimitError } from "@audnix/db";
import { TRPCError } from "@trpc/server";

/** The document cap as the owner reads it; any other error passes unchanged. */
export function knowledgeLimitToTrpc(error: unknown): unknown {
  if (!(error instanceof KnowledgeLimitError)) return error;
  return new TRPCError({
    code: "BAD_REQUEST",
    message: `You can keep at most ${KNOWLEDGE_DOCUMENTS_PER_USER_MAX} knowledge documents. Remove some to add more.`,
  });
}

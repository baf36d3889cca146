import { knowledgeRefusalMessage } from "@audnix/db";
import { TRPCError } from "@trpc/server";

/** A refused addition (the document cap, a file or address not taken) as the owner reads it; any other error passes unchanged. */
export function knowledgeLimitToTrpc(error: unknown): unknown {
  const message = knowledgeRefusalMessage(error);
  return message === null ? error : new TRPCError({ code: "BAD_REQUEST", message });
}

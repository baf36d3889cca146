import { retryFailedSend, RetrySendError } from "@audnix/db";
import { TRPCError } from "@trpc/server";
import type { ProtectedContext } from "../../trpc.ts";
import type { RetrySendInput } from "./reply.schema.ts";

/**
 * The owner sends a failed or unconfirmed message again, deliberately (the page asks first when
 * it may already have arrived). One retry per message: asking twice returns the same one.
 */
export async function retrySendHandler({ ctx, input }: { ctx: ProtectedContext; input: RetrySendInput }) {
  try {
    const retry = await retryFailedSend(ctx.db, { userId: ctx.userId, messageId: input.messageId, now: ctx.now() });
    return { messageId: retry.messageId, repeated: !retry.created };
  } catch (error) {
    if (error instanceof RetrySendError) {
      throw new TRPCError({ code: error.reason === "not_found" ? "NOT_FOUND" : "PRECONDITION_FAILED", message: error.message, cause: error });
    }
    throw error;
  }
}

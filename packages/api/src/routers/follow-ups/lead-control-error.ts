import { LeadControlError } from "@audnix/db";
import { TRPCError } from "@trpc/server";

/** Runs a lead control and turns a refusal into the tRPC error the dashboard shows as is. */
export async function asTrpcRefusal<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof LeadControlError)) throw error;
    throw new TRPCError({
      code: error.reason === "lead_not_found" ? "NOT_FOUND" : "PRECONDITION_FAILED",
      message: error.message,
      cause: error,
    });
  }
}

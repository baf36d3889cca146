import { AnalyticsRangeError } from "@audnix/db";
import { TRPCError } from "@trpc/server";

/** Runs a load; a range the owner cannot be shown becomes BAD_REQUEST with the reason, in our words. */
export async function withRangeErrors<T>(load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (error instanceof AnalyticsRangeError) throw new TRPCError({ code: "BAD_REQUEST", message: error.message, cause: error });
    throw error;
  }
}

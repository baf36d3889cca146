import { ConnectionInUseError, saveConnection, type SaveConnectionInput } from "@audnix/db";
import { TRPCError } from "@trpc/server";
import type { ProtectedContext } from "../../trpc.ts";
import type { ConnectionServices } from "./services.ts";

/** The vendor services, or a clear refusal when this deployment did not configure them. */
export function requireConnectionServices(ctx: ProtectedContext): ConnectionServices {
  if (ctx.connections) return ctx.connections;
  throw new TRPCError({ code: "PRECONDITION_FAILED", message: "Connecting channels is not configured on this server." });
}

/** Saves a connection whose credentials were just verified; an account owned elsewhere is refused. */
export async function saveVerifiedConnection(
  ctx: ProtectedContext,
  input: Omit<SaveConnectionInput, "userId" | "cipher" | "now">,
  inUseMessage: string,
) {
  try {
    const saved = await saveConnection(ctx.db, { ...input, userId: ctx.userId, cipher: requireConnectionServices(ctx).cipher, sandboxRunId: ctx.sandboxRunId, now: ctx.now() });
    return { channel: saved.channel, status: saved.status, displayName: saved.displayName };
  } catch (error) {
    if (error instanceof ConnectionInUseError) throw new TRPCError({ code: "BAD_REQUEST", message: inUseMessage, cause: error });
    throw error;
  }
}

export function verificationFailed(reason: string): TRPCError {
  return new TRPCError({ code: "BAD_REQUEST", message: reason });
}

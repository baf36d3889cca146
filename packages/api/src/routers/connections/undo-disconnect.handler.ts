import { DISCONNECT_UNDO_MINUTES } from "@audnix/core";
import { undoDisconnect } from "@audnix/db";
import { TRPCError } from "@trpc/server";
import type { ProtectedContext } from "../../trpc.ts";
import type { DisconnectInput } from "./disconnect.schema.ts";

/** Brings a channel back with the credentials its disconnect kept, within the undo window. */
export async function undoDisconnectHandler({ ctx, input }: { ctx: ProtectedContext; input: DisconnectInput }) {
  const { restored } = await undoDisconnect(ctx.db, { userId: ctx.userId, channel: input.channel, now: ctx.now() });
  if (!restored) {
    throw new TRPCError({
      code: "PRECONDITION_FAILED",
      message: `Too late to undo: a disconnect can be undone for ${DISCONNECT_UNDO_MINUTES} minutes, then its credentials are erased. Connect the channel again.`,
    });
  }
  return { restored };
}

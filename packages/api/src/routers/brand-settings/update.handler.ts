import { updateBrandSettings } from "@audnix/db";
import { TRPCError } from "@trpc/server";
import type { ProtectedContext } from "../../trpc.ts";
import type { UpdateBrandSettingsInput } from "./update.schema.ts";

export async function updateBrandSettingsHandler({ ctx, input }: { ctx: ProtectedContext; input: UpdateBrandSettingsInput }) {
  if (input.voiceEnabled && !ctx.voiceNotesAvailable) {
    throw new TRPCError({ code: "BAD_REQUEST", message: "Voice notes are not enabled on this server." });
  }
  return updateBrandSettings(ctx.db, { userId: ctx.userId, input });
}

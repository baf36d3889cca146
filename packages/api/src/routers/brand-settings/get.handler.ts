import { getBrandSettings } from "@audnix/db";
import type { ProtectedContext } from "../../trpc.ts";

export async function getBrandSettingsHandler({ ctx }: { ctx: ProtectedContext }) {
  const settings = await getBrandSettings(ctx.db, { userId: ctx.userId });
  // The form greys out the voice toggle when this deployment cannot make voice notes at all.
  return { settings, voiceNotesAvailable: ctx.voiceNotesAvailable };
}

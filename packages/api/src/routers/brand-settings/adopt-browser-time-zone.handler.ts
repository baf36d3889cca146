import { adoptBrowserTimeZone } from "@audnix/db";
import type { ProtectedContext } from "../../trpc.ts";
import type { AdoptBrowserTimeZoneInput } from "./update.schema.ts";

/** The owner's first dashboard visit sends the browser's zone; it is taken only if they never saved settings. */
export async function adoptBrowserTimeZoneHandler({ ctx, input }: { ctx: ProtectedContext; input: AdoptBrowserTimeZoneInput }) {
  return { adopted: await adoptBrowserTimeZone(ctx.db, { userId: ctx.userId, timeZone: input.timeZone }) };
}

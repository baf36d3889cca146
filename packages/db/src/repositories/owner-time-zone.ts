import { resolveTimeZone } from "@audnix/core";
import type { Tx } from "../client.ts";

/**
 * The zone the owner's days are counted in (brand_settings.timezone), UTC before the owner saved
 * settings or when the stored name is no longer valid.
 */
export async function ownerTimeZone(tx: Tx, userId: string): Promise<string> {
  const brand = await tx.brandSettings.findUnique({ where: { userId }, select: { timezone: true } });
  return resolveTimeZone(null, brand?.timezone);
}

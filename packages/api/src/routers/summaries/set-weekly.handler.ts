import type { ProtectedContext } from "../../trpc.ts";
import type { SetWeeklySummaryInput } from "./set-weekly.schema.ts";

/** Turns the Monday summary on or off (brand_settings.weekly_summary_enabled); "send now" works either way. */
export async function setWeeklySummaryHandler({ ctx, input }: { ctx: ProtectedContext; input: SetWeeklySummaryInput }) {
  await ctx.db.asUser(ctx.userId, (tx) =>
    tx.brandSettings.upsert({
      where: { userId: ctx.userId },
      create: { userId: ctx.userId, weeklySummaryEnabled: input.enabled },
      update: { weeklySummaryEnabled: input.enabled },
    }),
  );
  return { enabled: input.enabled };
}

import type { ProtectedContext } from "../../trpc.ts";
import type { SetEmailAlertInput } from "./email-alert.schema.ts";

/** "Email me when a lead needs me" (brand_settings.needs_you_email; off until the owner turns it on). */
export async function emailAlertHandler({ ctx }: { ctx: ProtectedContext }) {
  const settings = await ctx.db.asUser(ctx.userId, (tx) => tx.brandSettings.findUnique({ where: { userId: ctx.userId }, select: { needsYouEmail: true } }));
  return { enabled: settings?.needsYouEmail ?? false };
}

/** Turns the email alert on or off; leads flagged from now on are emailed (a lead already waiting is not). */
export async function setEmailAlertHandler({ ctx, input }: { ctx: ProtectedContext; input: SetEmailAlertInput }) {
  await ctx.db.asUser(ctx.userId, (tx) =>
    tx.brandSettings.upsert({
      where: { userId: ctx.userId },
      create: { userId: ctx.userId, needsYouEmail: input.enabled },
      update: { needsYouEmail: input.enabled },
    }),
  );
  return { enabled: input.enabled };
}

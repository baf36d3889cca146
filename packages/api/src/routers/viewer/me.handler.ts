import { FOLLOW_UP_BLOCK_MESSAGES, followUpBlock, PLAN_LIMITS, trialDaysLeft } from "@audnix/core";
import { TRPCError } from "@trpc/server";
import type { ProtectedContext } from "../../trpc.ts";

export async function meHandler({ ctx }: { ctx: ProtectedContext }) {
  const user = await ctx.db.asUser(ctx.userId, (tx) =>
    tx.user.findUnique({
      where: { id: ctx.userId },
      select: { id: true, email: true, name: true, plan: true, leadsUsed: true, trialExpiresAt: true },
    }),
  );
  // A session that outlived its user (account deleted) identifies nobody.
  if (!user) throw new TRPCError({ code: "UNAUTHORIZED", message: "This account no longer exists." });
  const now = ctx.now();
  // Capture never stops, but AI follow-ups do; the owner must be able to see why.
  const block = followUpBlock(user, now);
  return {
    ...user,
    /** The plan's lead allowance, for "Leads used 7 of 100". */
    leadsLimit: PLAN_LIMITS[user.plan].leads,
    trialDaysLeft: trialDaysLeft(user, now),
    followUpBlock: block === null ? null : { reason: block, message: FOLLOW_UP_BLOCK_MESSAGES[block] },
  };
}

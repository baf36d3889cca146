import type { ProtectedContext } from "../../trpc.ts";

/** How many leads wait for the owner (the header's "Needs you (N)"): one count on the (user_id, needs_owner_at) index. */
export async function needsYouCountHandler({ ctx }: { ctx: ProtectedContext }) {
  const count = await ctx.db.asUser(ctx.userId, (tx) => tx.lead.count({ where: { userId: ctx.userId, needsOwnerAt: { not: null } } }));
  return { count };
}

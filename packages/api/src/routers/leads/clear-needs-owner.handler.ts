import { clearNeedsOwner } from "@audnix/db";
import { TRPCError } from "@trpc/server";
import type { ProtectedContext } from "../../trpc.ts";
import type { ClearNeedsOwnerInput } from "./clear-needs-owner.schema.ts";

/**
 * The owner has dealt with what the AI flagged on the lead: the flag goes and the follow-ups it
 * held resume. Clearing a lead with
 * nothing flagged is a no-op (`cleared: false`), so a double click or a second tab does no harm.
 */
export async function clearNeedsOwnerHandler({ ctx, input }: { ctx: ProtectedContext; input: ClearNeedsOwnerInput }) {
  const exists = await ctx.db.asUser(ctx.userId, (tx) => tx.lead.count({ where: { id: input.leadId } }));
  // Row-level security hides other owners' leads: "not yours" and "missing" are the same answer.
  if (exists === 0) throw new TRPCError({ code: "NOT_FOUND", message: "Lead not found." });
  return clearNeedsOwner(ctx.db, { userId: ctx.userId, leadId: input.leadId, now: ctx.now() });
}

import { resolveTimeZone, weekContaining } from "@audnix/core";
import { loadSummaryOwner, requestWeekToDateSummary } from "@audnix/db";
import { TRPCError } from "@trpc/server";
import type { ProtectedContext } from "../../trpc.ts";

/**
 * "Send me this week's summary now": this week so far (Monday 00:00 in the owner's zone until
 * now), made and emailed by the worker. It is its own row (kind week_to_date), so the Monday
 * summary of this week still comes; a second press makes it again.
 */
export async function sendSummaryNowHandler({ ctx }: { ctx: ProtectedContext }) {
  const owner = await loadSummaryOwner(ctx.db, ctx.userId);
  if (!owner) throw new TRPCError({ code: "NOT_FOUND", message: "Account not found." });
  const now = ctx.now();
  const week = weekContaining(now, resolveTimeZone(null, owner.timeZone));
  const request = await requestWeekToDateSummary(ctx.db, { userId: ctx.userId, weekStart: week.weekStart, now });
  if (!request.ok) throw new TRPCError({ code: "CONFLICT", message: "This week's summary is already being made and emailed. It will appear here in a moment." });
  return { id: request.id, email: owner.email };
}

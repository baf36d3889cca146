import { listSummaries, loadSummaryOwner } from "@audnix/db";
import type { ProtectedContext } from "../../trpc.ts";
import { summaryView } from "./summary-view.ts";

/** The owner's summaries, newest week first, whether weekly summaries are on, and the zone their Mondays are in. */
export async function listSummariesHandler({ ctx }: { ctx: ProtectedContext }) {
  const [rows, owner] = await Promise.all([listSummaries(ctx.db, ctx.userId), loadSummaryOwner(ctx.db, ctx.userId)]);
  return { summaries: rows.map(summaryView), weeklySummaryEnabled: owner?.weeklySummaryEnabled ?? true, timeZone: owner?.timeZone ?? null, email: owner?.email ?? null };
}

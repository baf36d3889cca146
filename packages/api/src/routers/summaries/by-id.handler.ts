import { loadSummary } from "@audnix/db";
import { TRPCError } from "@trpc/server";
import type { ProtectedContext } from "../../trpc.ts";
import type { SummaryByIdInput } from "./by-id.schema.ts";
import { summaryView } from "./summary-view.ts";

export async function summaryByIdHandler({ ctx, input }: { ctx: ProtectedContext; input: SummaryByIdInput }) {
  // Row-level security hides other owners' summaries: "not yours" and "gone" look the same.
  const row = await loadSummary(ctx.db, ctx.userId, input.id);
  if (!row) throw new TRPCError({ code: "NOT_FOUND", message: "Summary not found." });
  return summaryView(row);
}

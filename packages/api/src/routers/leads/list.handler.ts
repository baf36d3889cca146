import type { ProtectedContext } from "../../trpc.ts";
import { encodeLeadCursor, type LeadPosition } from "./lead-cursor.ts";
import type { ListLeadsInput } from "./list.schema.ts";

export async function listLeadsHandler({ ctx, input }: { ctx: ProtectedContext; input: ListLeadsInput }) {
  const rows = await ctx.db.asUser(ctx.userId, (tx) =>
    tx.lead.findMany({
      // Row-level security already limits rows to this user; naming user_id as well lets the
      // planner walk the (user_id, last_message_at) index.
      where: { userId: ctx.userId, ...(input.cursor ? after(input.cursor) : {}) },
      orderBy: [{ lastMessageAt: { sort: "desc", nulls: "last" } }, { createdAt: "desc" }, { id: "desc" }],
      // One extra row tells whether another page exists without a count query.
      take: input.limit + 1,
      select: { id: true, name: true, channel: true, status: true, lastMessageAt: true, createdAt: true },
    }),
  );
  const items = rows.slice(0, input.limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > input.limit && last ? encodeLeadCursor(last) : null };
}

/** Rows strictly after `position` in the list's sort order. */
function after(position: LeadPosition) {
  const { lastMessageAt, createdAt, id } = position;
  const sameTimes = [{ createdAt: { lt: createdAt } }, { createdAt, id: { lt: id } }];
  if (lastMessageAt === null) {
    // Only leads that were never messaged remain, ordered by creation.
    return { lastMessageAt: null, OR: sameTimes };
  }
  return {
    OR: [
      { lastMessageAt: { lt: lastMessageAt } },
      { lastMessageAt: null },
      { lastMessageAt, OR: sameTimes },
    ],
  };
}

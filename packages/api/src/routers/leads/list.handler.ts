import { leadDisplayName } from "@audnix/core";
import type { Prisma } from "@audnix/db";
import type { ProtectedContext } from "../../trpc.ts";
import { encodeLeadCursor, type LeadPosition } from "./lead-cursor.ts";
import type { ListLeadsInput } from "./list.schema.ts";

export async function listLeadsHandler({ ctx, input }: { ctx: ProtectedContext; input: ListLeadsInput }) {
  const where: Prisma.LeadWhereInput = {
    // Row-level security already limits rows to this user; naming user_id as well lets the
    // planner walk the (user_id, last_message_at) index.
    userId: ctx.userId,
    ...(input.channel ? { channel: input.channel } : {}),
    ...(input.status ? { status: input.status } : {}),
    AND: [input.search ? matching(input.search) : {}, input.cursor ? after(input.cursor) : {}],
  };
  const rows = await ctx.db.asUser(ctx.userId, (tx) =>
    tx.lead.findMany({
      where,
      orderBy: [{ lastMessageAt: { sort: "desc", nulls: "last" } }, { createdAt: "desc" }, { id: "desc" }],
      // One extra row tells whether another page exists without a count query.
      take: input.limit + 1,
      select: { id: true, name: true, username: true, channel: true, status: true, lastMessageAt: true, createdAt: true, needsOwnerAt: true },
    }),
  );
  // The dashboard's name for each lead, "@username" when there is no name (core's rule).
  const items = rows.slice(0, input.limit).map((row) => ({ ...row, displayName: leadDisplayName(row) }));
  const last = items.at(-1);
  return { items, nextCursor: rows.length > input.limit && last ? encodeLeadCursor(last) : null };
}

/** Leads whose name, Instagram username, email, phone or platform id contains `search`, ignoring case. */
function matching(search: string): Prisma.LeadWhereInput {
  // Prisma passes `contains` to LIKE as is, so % and _ would act as wildcards ("%" matching everyone).
  const contains = { contains: escapeLikePattern(search), mode: "insensitive" as const };
  const fields: Prisma.LeadWhereInput[] = [{ name: contains }, { email: contains }, { phone: contains }, { externalId: contains }];
  // The list shows a username as "@username"; the owner may type it either way.
  const handle = search.replace(/^@/, "");
  if (handle !== "") fields.push({ username: { contains: escapeLikePattern(handle), mode: "insensitive" } });
  // Phone numbers are stored as digits (WhatsApp wa_id) but typed with spaces, dashes or "+".
  const digits = search.replace(/\D/g, "");
  if (digits.length >= 3 && digits !== search) {
    fields.push({ phone: { contains: digits } }, { externalId: { contains: digits } });
  }
  return { OR: fields };
}

function escapeLikePattern(text: string): string {
  return text.replace(/[\\%_]/g, "\\$&");
}

/** Rows strictly after `position` in the list's sort order. */
function after(position: LeadPosition): Prisma.LeadWhereInput {
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

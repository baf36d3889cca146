import { leadDisplayName, localDay, needsOwnerTitle } from "@audnix/core";
import { ownerTimeZone, type Prisma, type Tx } from "@audnix/db";
import type { ProtectedContext } from "../../trpc.ts";
import { encodeLeadCursor, type LeadPosition } from "./lead-cursor.ts";
import type { ListLeadsInput } from "./list.schema.ts";

export async function listLeadsHandler({ ctx, input }: { ctx: ProtectedContext; input: ListLeadsInput }) {
  const rows = await ctx.db.asUser(ctx.userId, async (tx) =>
    tx.lead.findMany({
      where: await leadsWhere(tx, ctx.userId, input),
      orderBy: input.needsYou ? NEEDS_YOU_ORDER : LIST_ORDER,
      // One extra row tells whether another page exists without a count query.
      take: input.limit + 1,
      select: { id: true, name: true, username: true, channel: true, status: true, lastMessageAt: true, createdAt: true, needsOwnerAt: true, needsOwnerReason: true },
    }),
  );
  // The dashboard's name for each lead, "@username" when there is no name (core's rule), and why it waits, in words.
  const items = rows.slice(0, input.limit).map((row) => ({
    ...row,
    displayName: leadDisplayName(row),
    needsOwnerTitle: row.needsOwnerReason ? needsOwnerTitle(row.needsOwnerReason) : null,
  }));
  const last = items.at(-1);
  return { items, nextCursor: rows.length > input.limit && last ? encodeLeadCursor(last) : null };
}

async function leadsWhere(tx: Tx, userId: string, input: ListLeadsInput): Promise<Prisma.LeadWhereInput> {
  return {
    // Row-level security already limits rows to this user; naming user_id as well lets the
    // planner walk the (user_id, last_message_at) index.
    userId,
    ...(input.channel ? { channel: input.channel } : {}),
    ...(input.status ? { status: input.status } : {}),
    // The (user_id, needs_owner_at) index serves the filter and its order.
    ...(input.needsYou ? { needsOwnerAt: { not: null } } : {}),
    AND: [
      input.search ? matching(input.search) : {},
      input.cursor ? after(input.cursor, input.needsYou ?? false) : {},
      input.activity ? await activityWithin(tx, userId, input.activity) : {},
    ],
  };
}

/**
 * Leads to which the activity happened on the owner's days from..to: the same day boundaries (and
 * the same columns) the analytics rollups count by, so a tile's number and its list agree.
 */
async function activityWithin(tx: Tx, userId: string, activity: NonNullable<ListLeadsInput["activity"]>): Promise<Prisma.LeadWhereInput> {
  const timeZone = await ownerTimeZone(tx, userId);
  const within = { gte: localDay(activity.from, timeZone).start, lt: localDay(activity.to, timeZone).end };
  switch (activity.kind) {
    case "created":
      return { createdAt: within };
    case "converted":
      return { convertedAt: within };
    case "opted_out":
      return { optedOutAt: within };
    // Each is an EXISTS on messages (lead_id, sent_at): the list keeps walking its own index.
    case "messaged":
      return { messages: { some: { sentAt: within } } };
    case "ai_messaged":
      return { messages: { some: { sentAt: within, author: "ai" } } };
    case "delivery_problem":
      return { messages: { some: { sentAt: within, deliveryStatus: { in: ["failed", "unconfirmed"] } } } };
  }
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

const LIST_ORDER: Prisma.LeadOrderByWithRelationInput[] = [{ lastMessageAt: { sort: "desc", nulls: "last" } }, { createdAt: "desc" }, { id: "desc" }];
// Oldest waiting first: the lead who has waited longest is the one to answer next.
const NEEDS_YOU_ORDER: Prisma.LeadOrderByWithRelationInput[] = [{ needsOwnerAt: "asc" }, { id: "asc" }];

/** Rows strictly after `position` in the list's sort order (the queue's, for `needsYou`). */
function after(position: LeadPosition, needsYou: boolean): Prisma.LeadWhereInput {
  const { lastMessageAt, createdAt, id, needsOwnerAt } = position;
  if (needsYou) {
    // A cursor from the other order carries no waiting time: it starts the queue over.
    if (needsOwnerAt === null) return {};
    return { OR: [{ needsOwnerAt: { gt: needsOwnerAt } }, { needsOwnerAt, id: { gt: id } }] };
  }
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

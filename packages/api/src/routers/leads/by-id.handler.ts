import { LEAD_FOLLOW_UP_BLOCK_NOTES, leadDisplayName, needsOwnerTitle } from "@audnix/core";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import type { ProtectedContext } from "../../trpc.ts";
import type { LeadByIdInput } from "./by-id.schema.ts";

/** The timeline shows the latest messages; a conversation can run to thousands. */
export const TIMELINE_MESSAGE_LIMIT = 200;

// messages.attachments is free-form JSON written by capture; what the page shows is parsed here,
// and an entry of unknown shape is left out rather than failing the whole conversation.
const attachmentSchema = z.object({
  type: z.string(),
  url: z.string().nullish().default(null),
  mimeType: z.string().nullish().default(null),
  fileName: z.string().nullish().default(null),
});
const attachmentsSchema = z
  .array(z.unknown())
  .catch([])
  .transform((entries) => entries.flatMap((entry) => {
    const parsed = attachmentSchema.safeParse(entry);
    return parsed.success ? [parsed.data] : [];
  }));

export async function leadByIdHandler({ ctx, input }: { ctx: ProtectedContext; input: LeadByIdInput }) {
  const found = await ctx.db.asUser(ctx.userId, async (tx) => {
    const lead = await tx.lead.findUnique({
      where: { id: input.id },
      select: {
        id: true,
        name: true,
        username: true,
        profileStatus: true,
        channel: true,
        status: true,
        externalId: true,
        email: true,
        phone: true,
        tags: true,
        notes: true,
        optedOutAt: true,
        aiPausedAt: true,
        lastMessageAt: true,
        createdAt: true,
        aiBlockedReason: true,
        needsOwnerAt: true,
        needsOwnerReason: true,
        needsOwnerDetail: true,
      },
    });
    if (!lead) return null;
    const newestFirst = await tx.message.findMany({
      where: { leadId: lead.id },
      orderBy: [{ sentAt: "desc" }, { createdAt: "desc" }, { id: "desc" }],
      take: TIMELINE_MESSAGE_LIMIT + 1,
      select: {
        id: true,
        direction: true,
        author: true,
        channel: true,
        body: true,
        attachments: true,
        sentAt: true,
        deliveryStatus: true,
        deliveryStatusAt: true,
        failureReason: true,
        retriedAt: true,
      },
    });
    return { lead, newestFirst };
  });
  // Row-level security hides other users' leads, so "not yours" and "does not exist" look the same.
  if (!found) throw new TRPCError({ code: "NOT_FOUND", message: "Lead not found." });
  const { lead: { aiBlockedReason, needsOwnerAt, needsOwnerReason, needsOwnerDetail, ...lead }, newestFirst } = found;
  const messages = newestFirst
    .slice(0, TIMELINE_MESSAGE_LIMIT)
    .reverse()
    .map((message) => ({ ...message, attachments: attachmentsSchema.parse(message.attachments) }));
  // A lead captured while follow-ups were blocked stays without one; the owner is told why.
  const followUpNote = aiBlockedReason === null ? null : LEAD_FOLLOW_UP_BLOCK_NOTES[aiBlockedReason];
  return {
    lead: { ...lead, displayName: leadDisplayName(lead) },
    messages,
    followUpNote,
    /** What the AI flagged for the owner (leads.needs_owner_*), e.g. the question it could not answer; null: nothing. */
    needsOwner:
      needsOwnerAt && needsOwnerReason
        ? { at: needsOwnerAt, reason: needsOwnerReason, title: needsOwnerTitle(needsOwnerReason), detail: needsOwnerDetail ?? "" }
        : null,
    earlierMessagesHidden: newestFirst.length > TIMELINE_MESSAGE_LIMIT,
  };
}

import { draftMessage, findKnowledgeFor, FOLLOW_UP_POLICY } from "@audnix/core";
import { createKnowledgeSource, loadConversation, loadFollowUpContext, nextPlannedStep } from "@audnix/db";
import { TRPCError } from "@trpc/server";
import type { ProtectedContext } from "../../trpc.ts";
import type { LeadInput } from "./lead.schema.ts";
import { previewDraftContext } from "./preview-draft-context.ts";

/**
 * Writes the lead's next message exactly as the engine would, and returns it: nothing is sent,
 * stored or queued. The model comes from the context (null = sandbox composer).
 */
export async function previewHandler({ ctx, input }: { ctx: ProtectedContext; input: LeadInput }) {
  const planned = await nextPlannedStep(ctx.db, { userId: ctx.userId, leadId: input.leadId });
  const context = await loadFollowUpContext(ctx.db, { userId: ctx.userId, leadId: input.leadId });
  // Both run as the signed-in user, so another owner's lead is simply not found.
  if (!context) throw new TRPCError({ code: "NOT_FOUND", message: "Lead not found." });
  const conversation = await loadConversation(ctx.db, { userId: ctx.userId, leadId: input.leadId, limit: FOLLOW_UP_POLICY.historyRowsLoaded });
  const draftContext = previewDraftContext(context, planned, conversation);
  // Grounded exactly as the engine grounds the message it sends: the same query, the same search.
  const source = createKnowledgeSource(ctx.db, { embedder: ctx.embedder });
  const knowledge = await findKnowledgeFor(source, { userId: ctx.userId, history: draftContext.history });
  try {
    const draft = await draftMessage({ ...draftContext, knowledge, generator: ctx.generator });
    return {
      channel: draftContext.channel,
      text: draft.text,
      subject: draft.subject,
      source: draft.source,
      /** Titles of the knowledge the draft was grounded in, in source order ([1], [2], ...). */
      sources: knowledge.map((passage) => passage.title),
      /** The draft says the team will get back: sending it would flag the lead for the owner. */
      unanswered: draft.needsOwner !== null,
    };
  } catch (error) {
    // GenerationError / DraftRejectedError: the model is unavailable or wrote something unusable.
    if (error instanceof Error && (error.name === "GenerationError" || error.name === "DraftRejectedError")) {
      throw new TRPCError({ code: "SERVICE_UNAVAILABLE", message: "The AI could not write a preview right now. Try again in a moment.", cause: error });
    }
    throw error;
  }
}

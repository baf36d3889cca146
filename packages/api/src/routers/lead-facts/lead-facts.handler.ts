import { factInWords, factOriginInWords } from "@audnix/core";
import {
  addOwnerFact,
  LeadFactNotFoundError,
  LeadFactValueError,
  listLeadMemoryFacts,
  removeLeadFact,
  updateOwnerFact,
  type LeadMemoryFactRow,
} from "@audnix/db";
import { TRPCError } from "@trpc/server";
import type { ProtectedContext } from "../../trpc.ts";
import type { AddLeadFactInput, ListLeadFactsInput, RemoveLeadFactInput, UpdateLeadFactInput } from "./lead-facts.schema.ts";

/** A fact as the lead page shows it: the sentence, where it came from, and what the owner may edit. */
function present(fact: LeadMemoryFactRow, timeZone: string) {
  return {
    id: fact.id,
    kind: fact.kind,
    value: fact.value,
    source: fact.source,
    messageId: fact.messageId,
    observedAt: fact.observedAt,
    words: factInWords(fact),
    origin: factOriginInWords(fact, timeZone),
  };
}

async function ownerTimeZone(ctx: ProtectedContext): Promise<string> {
  const brand = await ctx.db.asUser(ctx.userId, (tx) => tx.brandSettings.findUnique({ where: { userId: ctx.userId }, select: { timezone: true } }));
  return brand?.timezone ?? "UTC";
}

async function asTrpcError<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    // Row-level security hides other owners' leads and facts: "not yours" is "not found".
    if (error instanceof LeadFactNotFoundError) throw new TRPCError({ code: "NOT_FOUND", message: error.message, cause: error });
    if (error instanceof LeadFactValueError) throw new TRPCError({ code: "BAD_REQUEST", message: error.message, cause: error });
    throw error;
  }
}

export async function listLeadFactsHandler({ ctx, input }: { ctx: ProtectedContext; input: ListLeadFactsInput }) {
  const facts = await listLeadMemoryFacts(ctx.db, { userId: ctx.userId, leadId: input.leadId });
  if (!facts) throw new TRPCError({ code: "NOT_FOUND", message: "Lead not found." });
  const timeZone = await ownerTimeZone(ctx);
  return facts.map((fact) => present(fact, timeZone));
}

export async function addLeadFactHandler({ ctx, input }: { ctx: ProtectedContext; input: AddLeadFactInput }) {
  const fact = await asTrpcError(() => addOwnerFact(ctx.db, { userId: ctx.userId, ...input, now: ctx.now() }));
  return present(fact, await ownerTimeZone(ctx));
}

export async function updateLeadFactHandler({ ctx, input }: { ctx: ProtectedContext; input: UpdateLeadFactInput }) {
  const fact = await asTrpcError(() => updateOwnerFact(ctx.db, { userId: ctx.userId, ...input, now: ctx.now() }));
  return present(fact, await ownerTimeZone(ctx));
}

export async function removeLeadFactHandler({ ctx, input }: { ctx: ProtectedContext; input: RemoveLeadFactInput }) {
  await asTrpcError(() => removeLeadFact(ctx.db, { userId: ctx.userId, factId: input.factId }));
  return { factId: input.factId };
}

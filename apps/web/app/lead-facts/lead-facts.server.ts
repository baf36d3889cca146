import { LEAD_FACT_KINDS } from "@audnix/core";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { rateLimitRefusal } from "../rate-limit.server.ts";
import { createServerCaller } from "../trpc.server.ts";

// The lead page's facts panel talks to its own resource route (dashboard.leads.$leadId.facts):
// the list, and the owner's add / correct / delete. Values are checked by the API (per kind, by
// core); its words for a bad value are shown beside the field.

const formSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("add"), kind: z.enum(LEAD_FACT_KINDS), value: z.string() }),
  z.object({ intent: z.literal("update"), factId: z.uuid(), value: z.string() }),
  z.object({ intent: z.literal("remove"), factId: z.uuid() }),
]);

export type LeadFactsIntent = z.output<typeof formSchema>["intent"];

export type LeadFactsActionResult =
  | { ok: true; intent: LeadFactsIntent; message: string }
  | { ok: false; intent: LeadFactsIntent | null; factId: string | null; error: string };

/** A fact as the panel gets it (through JSON: dates are strings). */
export interface LeadFactView {
  id: string;
  kind: (typeof LEAD_FACT_KINDS)[number];
  value: string;
  source: "rules" | "model" | "owner";
  words: string;
  origin: string;
}

export async function loadLeadFacts(userId: string, leadId: string): Promise<LeadFactView[] | null> {
  try {
    const facts = await createServerCaller(userId).leadFacts.list({ leadId });
    return facts.map(({ id, kind, value, source, words, origin }) => ({ id, kind, value, source, words, origin }));
  } catch (error) {
    if (error instanceof TRPCError && error.code === "NOT_FOUND") return null;
    throw error;
  }
}

const DONE: Record<LeadFactsIntent, string> = {
  add: "Fact added. The AI uses it from the next message on.",
  update: "Fact corrected. Messages the lead writes later will not replace it.",
  remove: "Fact deleted.",
};

/**
 * The panel's edits. A refusal (bad value, gone fact, rate limit) is an answer the panel shows
 * beside the field, as the follow-up panel's refusals are, not an error page.
 */
export async function handleLeadFactsAction(userId: string, leadId: string, form: FormData): Promise<LeadFactsActionResult> {
  const parsed = formSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) return { ok: false, intent: null, factId: null, error: "Unknown action." };
  const input = parsed.data;
  const factId = input.intent === "add" ? null : input.factId;
  const leadFacts = createServerCaller(userId).leadFacts;
  try {
    if (input.intent === "add") await leadFacts.add({ leadId, kind: input.kind, value: input.value });
    else if (input.intent === "update") await leadFacts.update({ factId: input.factId, value: input.value });
    else await leadFacts.remove({ factId: input.factId });
    return { ok: true, intent: input.intent, message: DONE[input.intent] };
  } catch (error) {
    const refusal = rateLimitRefusal(error);
    if (refusal) return { ok: false, intent: input.intent, factId, error: refusal.message };
    if (error instanceof TRPCError && (error.code === "BAD_REQUEST" || error.code === "NOT_FOUND")) {
      // A zod refusal's message is JSON of its issues; the first one's words are what the owner needs.
      return { ok: false, intent: input.intent, factId, error: firstIssue(error) };
    }
    throw error;
  }
}

function firstIssue(error: TRPCError): string {
  const cause = error.cause;
  if (cause instanceof z.ZodError) return cause.issues[0]?.message ?? "Check the value.";
  return error.message;
}

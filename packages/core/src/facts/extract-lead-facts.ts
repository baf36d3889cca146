import type { TextGenerator } from "../followup/ports.ts";
import type { LeadFactSource } from "./fact-kinds.ts";
import { extractFactsByRules, type ExtractedFact } from "./extract-facts.ts";
import { combineExtractions } from "./merge-facts.ts";
import { extractFactsByModel } from "./model-facts.ts";

export interface SourcedFact extends ExtractedFact {
  source: Exclude<LeadFactSource, "owner">;
}

/**
 * The facts of one message of the lead's: the keyless rules always, and with a model its
 * structured output too, merged (combineExtractions: the rules' email and phone win). Each fact
 * says which of the two found it. Never throws for the lead's text or the model's answer.
 */
export async function extractLeadFacts(message: string, options: { generator?: TextGenerator | null } = {}): Promise<SourcedFact[]> {
  const rules = extractFactsByRules(message);
  // An empty message (a photo, a sticker) says nothing: no model call for it.
  const model = options.generator && message.trim() !== "" ? await extractFactsByModel(options.generator, message) : [];
  const byRules = (fact: ExtractedFact) => rules.some((found) => found.kind === fact.kind && found.value === fact.value);
  return combineExtractions(rules, model).map((fact) => ({ ...fact, source: byRules(fact) ? "rules" : "model" }));
}

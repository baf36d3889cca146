import { MULTI_VALUED_FACT_KINDS, type LeadFactKind, type LeadFactSource } from "./fact-kinds.ts";
import type { ExtractedFact } from "./extract-facts.ts";

// How new facts join what is known (docs/decisions/0022). Pure: the repository applies the plan.

/** A fact already stored for the lead. */
export interface KnownFact {
  id: string;
  kind: LeadFactKind;
  value: string;
  source: LeadFactSource;
  /** When it was said (or entered by the owner). */
  observedAt: Date;
}

/** What to write for one message's facts. */
export interface FactWritePlan {
  add: ExtractedFact[];
  /** Automatic facts of a single-valued kind that a new value replaces. */
  replace: { factId: string; value: string }[];
}

/** Kinds whose value the rules find better than a model: the address or number as the lead wrote it, never a guess. */
const RULES_FIRST: ReadonlySet<LeadFactKind> = new Set(["email", "phone"]);

const sameValue = (a: string, b: string) => a.toLocaleLowerCase() === b.toLocaleLowerCase();

/**
 * The rules' and the model's facts of one message as one list: for email and phone the rules'
 * value wins when both found one; for the other single-valued kinds the model's (it reads the
 * whole sentence); interests and objections from both, each once.
 */
export function combineExtractions(rules: readonly ExtractedFact[], model: readonly ExtractedFact[]): ExtractedFact[] {
  const combined: ExtractedFact[] = [];
  const has = (kind: LeadFactKind) => combined.some((fact) => fact.kind === kind);
  const push = (fact: ExtractedFact) => {
    if (MULTI_VALUED_FACT_KINDS.has(fact.kind)) {
      if (!combined.some((known) => known.kind === fact.kind && sameValue(known.value, fact.value))) combined.push(fact);
    } else if (!has(fact.kind)) {
      combined.push(fact);
    }
  };
  for (const fact of rules) if (RULES_FIRST.has(fact.kind)) push(fact);
  for (const fact of model) push(fact);
  for (const fact of rules) push(fact);
  return combined;
}

/**
 * What automatic extraction writes, given what is known. The owner's word wins: a single-valued
 * kind the owner entered or corrected is never replaced by extraction (the owner edits it again to
 * change it); an interest or objection the owner wrote is kept beside new ones. A new value of a
 * single-valued kind replaces an automatic one said no later than it (messages may be read out of
 * order: an older message never undoes a newer one); a value already known is not written twice.
 */
export function planFactWrites(known: readonly KnownFact[], extracted: readonly ExtractedFact[], saidAt: Date): FactWritePlan {
  const plan: FactWritePlan = { add: [], replace: [] };
  for (const fact of extracted) {
    const sameKind = known.filter((existing) => existing.kind === fact.kind);
    if (sameKind.some((existing) => sameValue(existing.value, fact.value))) continue;
    if (MULTI_VALUED_FACT_KINDS.has(fact.kind)) {
      plan.add.push(fact);
      continue;
    }
    if (sameKind.some((existing) => existing.source === "owner")) continue;
    const automatic = sameKind[0];
    if (!automatic) plan.add.push(fact);
    else if (automatic.observedAt.getTime() <= saidAt.getTime()) plan.replace.push({ factId: automatic.id, value: fact.value });
  }
  return plan;
}

import { sourceText } from "../followup/draft-rules.ts";
import type { LeadFactKind, LeadFactSource } from "./fact-kinds.ts";

// Facts as a person says them: the same sentence on the lead page and in the model's prompt.

const LANGUAGE_NAMES = new Intl.DisplayNames(["en"], { type: "language", fallback: "code" });

function languageName(tag: string): string {
  try {
    return LANGUAGE_NAMES.of(tag) ?? tag;
  } catch {
    return tag;
  }
}

/** "Prefers to be called Sam", "Email: sam@shop.example", "Interested in gold rings". */
export function factInWords(fact: { kind: LeadFactKind; value: string }): string {
  const value = fact.value;
  switch (fact.kind) {
    case "preferred_name":
      return `Prefers to be called ${value}`;
    case "email":
      return `Email: ${value}`;
    case "phone":
      return `Phone: ${value}`;
    case "location":
      return `Is in ${value}`;
    case "timezone":
      return `Time zone: ${value}`;
    case "language":
      return `Writes in ${languageName(value)}`;
    case "interest":
      return `Interested in ${value}`;
    case "objection":
      return `Objection: ${value}`;
    case "budget":
      return `Budget: ${value}`;
  }
}

const DAY_MONTH = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });

/** Where a fact came from: "from the message of 3 Dec", "added by you", "from the model". `timeZone` is the owner's. */
export function factOriginInWords(fact: { source: LeadFactSource; messageSentAt: Date | null }, timeZone = "UTC"): string {
  if (fact.source === "owner") return "added or corrected by you";
  if (!fact.messageSentAt) return fact.source === "model" ? "found by the AI" : "found in a message";
  let formatter = DAY_MONTH;
  try {
    formatter = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", timeZone });
  } catch {
    // An unknown zone: the date in UTC.
  }
  return `from the message of ${formatter.format(fact.messageSentAt)}`;
}

/** The prompt's lines about the lead, each value cut like every other outside text the model reads (sourceText). */
export function factsForPrompt(facts: readonly { kind: LeadFactKind; value: string }[]): string[] {
  return facts.map((fact) => factInWords({ kind: fact.kind, value: sourceText(fact.value) }));
}

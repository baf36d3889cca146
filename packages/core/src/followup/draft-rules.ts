import { FOLLOW_UP_POLICY } from "./defaults.ts";
import type { DraftContext, HistoryMessage } from "./draft-context.ts";
import { guessLanguage, LANGUAGE_NAMES, type GuessedLanguage } from "./language.ts";

// Facts about a draft that both the prompt and the validator need, derived once from the context.

const URL_PATTERN = /\b(?:https?:\/\/|www\.)[^\s<>()"']+|\b(?:[a-z0-9-]+\.)+(?:com|net|org|io|co|app|ai|shop|store|me|link|ly|es|de|fr|it|nl|br|pt|uk)\b(?:\/[^\s<>()"']*)?/gi;
const EMAIL_PATTERN = /[^\s@<>()"']+@[^\s@<>()"']+\.[a-z]{2,}/gi;
const PRICE_PATTERN = /(?:[$€£]|r\$|us\$)\s?\d[\d.,]*|\d[\d.,]*\s?(?:[$€£]|usd|eur|gbp|brl|dollars?|euros?|reais|pounds?)(?![\p{L}])/giu;

/** A link as written, reduced to compare: no scheme, no www, lowercase host, no trailing "/" or punctuation. */
function linkKey(link: string): string {
  const trimmed = link.replace(/[.,;:!?]+$/, "").replace(/^https?:\/\//i, "").replace(/^www\./i, "");
  const slash = trimmed.indexOf("/");
  const host = (slash === -1 ? trimmed : trimmed.slice(0, slash)).toLowerCase();
  const path = slash === -1 ? "" : trimmed.slice(slash).replace(/\/+$/, "");
  return host + path;
}

/** A price as written, reduced to its amount: "$1,500.00" and "1500 USD" both -> "1500". */
function priceKey(price: string): string {
  const digits = price.replace(/[^\d.,]/g, "").replace(/[.,]00$/, "");
  return digits.replace(/[.,]/g, "");
}

/** Links in `text` (email addresses are not links). */
export function extractLinks(text: string): string[] {
  return (text.replace(EMAIL_PATTERN, " ").match(URL_PATTERN) ?? []).map((link) => link.replace(/[.,;:!?]+$/, ""));
}

/** Prices (an amount with a currency) in `text`. */
export function extractPrices(text: string): string[] {
  return (text.match(PRICE_PATTERN) ?? []).map((price) => price.trim());
}

/** The links of `text` that appear nowhere in `allowed` (compared by linkKey). */
export function unknownLinks(text: string, allowed: readonly string[]): string[] {
  const keys = new Set(allowed.map(linkKey));
  return extractLinks(text).filter((link) => !keys.has(linkKey(link)));
}

/** The prices of `text` that appear nowhere in `allowed` (compared by amount). */
export function unknownPrices(text: string, allowed: readonly string[]): string[] {
  const keys = new Set(allowed.map(priceKey));
  return extractPrices(text).filter((price) => !keys.has(priceKey(price)));
}

/** The last FOLLOW_UP_POLICY.historyLimit messages, oldest first. */
export function recentHistory(history: readonly HistoryMessage[]): HistoryMessage[] {
  return [...history].sort((a, b) => a.sentAt.getTime() - b.sentAt.getTime()).slice(-FOLLOW_UP_POLICY.historyLimit);
}

/** The links and prices a draft may mention: those in the knowledge snippets or the conversation. */
export function allowedMentions(context: DraftContext): { links: string[]; prices: string[] } {
  const sources = [...context.knowledgeSnippets, ...recentHistory(context.history).map((message) => message.body)];
  return { links: sources.flatMap(extractLinks), prices: sources.flatMap(extractPrices) };
}

/**
 * The language to write in: the lead fact when set ("es" or "es-MX"), else a guess from the lead's
 * recent messages; null when neither says (the prompt then asks for the language of the last message).
 */
export function draftLanguage(context: DraftContext): string | null {
  const fact = context.lead.language?.trim().toLowerCase().split(/[-_]/)[0];
  if (fact) return fact;
  const inbound = recentHistory(context.history).filter((message) => message.direction === "inbound");
  const latest = inbound.at(-1);
  return (latest && guessLanguage(latest.body)) ?? guessLanguage(inbound.map((message) => message.body).join("\n"));
}

export function languageName(code: string): string {
  return LANGUAGE_NAMES[code as GuessedLanguage] ?? code;
}

const DISCLOSURE_LINES: Record<string, (brand: string) => string> = {
  en: (brand) => `(Automated reply from ${brand}'s assistant)`,
  es: (brand) => `(Respuesta automática del asistente de ${brand})`,
  pt: (brand) => `(Resposta automática do assistente de ${brand})`,
  fr: (brand) => `(Réponse automatique de l'assistant de ${brand})`,
  de: (brand) => `(Automatische Antwort des Assistenten von ${brand})`,
  it: (brand) => `(Risposta automatica dell'assistente di ${brand})`,
  nl: (brand) => `(Automatisch antwoord van de assistent van ${brand})`,
};

/** The line that tells the lead the message is automated, in their language (English otherwise). */
export function disclosureLineFor(brandName: string, language: string | null): string {
  const line = DISCLOSURE_LINES[language ?? "en"] ?? DISCLOSURE_LINES.en;
  return (line as (brand: string) => string)(brandName);
}

/**
 * The email subject: "Re: <their subject>" inside an email thread (so it threads in their inbox),
 * else a short subject naming the brand. The model never writes subjects.
 */
export function emailSubjectFor(context: DraftContext): string {
  const theirs = context.emailSubject?.trim();
  if (theirs) return /^re:/i.test(theirs) ? theirs : `Re: ${theirs}`;
  return context.purpose === "follow_up" ? `Following up from ${context.brand.name}` : `Your message to ${context.brand.name}`;
}

import { selectHistoryWindow, type HistoryWindow, type WindowMessage as HistoryWindowMessage } from "../memory/history-window.ts";
import { capAtWordEnd, capLength } from "../text/cap.ts";
import { trimEndWhere } from "../text/trim.ts";
import { FOLLOW_UP_POLICY } from "./defaults.ts";
import type { DraftContext, HistoryMessage } from "./draft-context.ts";
import { findLinkRuns, replaceEmailAddresses } from "./find-links.ts";
import { findPriceRuns } from "./find-prices.ts";
import { guessLanguage, LANGUAGE_NAMES, LANGUAGE_SAMPLE_CHARS, type GuessedLanguage } from "./language.ts";

// Facts about a draft that both the prompt and the validator need, derived once from the context.

/**
 * The most of one knowledge snippet or conversation message the model is shown, and so the most
 * the draft check reads for the links and prices a draft may repeat. Twice WhatsApp's
 * 4,096-character message limit, so every direct message arrives whole; only long emails are cut.
 * A prompt holds 5 snippets and the history window (FOLLOW_UP_POLICY.historyTokenBudget, with the
 * lead's latest message whole), so it stays under about 60,000 characters.
 */
export const SOURCE_TEXT_CHARS = 8_000;

const CUT_MARKER = " […]";
const TRAILING_PUNCTUATION = /[.,;:!?]/;

/**
 * A snippet or message as the model sees it: at most SOURCE_TEXT_CHARS, cut before the word that
 * crosses the limit so no half link or half price ("$1,5" of "$1,500") becomes an allowed mention.
 */
export function sourceText(text: string): string {
  const cut = capAtWordEnd(text, SOURCE_TEXT_CHARS, /\S/);
  return cut.length === text.length ? text : `${cut.trimEnd()}${CUT_MARKER}`;
}

/** A link as written, reduced to compare: no scheme, no www, lowercase host, no trailing "/" or punctuation. */
function linkKey(link: string): string {
  const trimmed = trimEndWhere(link, TRAILING_PUNCTUATION).replace(/^https?:\/\//i, "").replace(/^www\./i, "");
  const slash = trimmed.indexOf("/");
  const host = (slash === -1 ? trimmed : trimmed.slice(0, slash)).toLowerCase();
  const path = slash === -1 ? "" : trimEndWhere(trimmed.slice(slash), /\//);
  return host + path;
}

/** A price as written, reduced to its amount: "$1,500.00" and "1500 USD" both -> "1500". */
function priceKey(price: string): string {
  const digits = price.replace(/[^\d.,]/g, "").replace(/[.,]00$/, "");
  return digits.replace(/[.,]/g, "");
}

// The scanners read each character a bounded number of times, so these take any length; callers
// holding outside text cut it first (sourceText, validateDraft).

/** Links in `text` (email addresses are not links). */
export function extractLinks(text: string): string[] {
  return findLinkRuns(replaceEmailAddresses(text, " ")).map((link) => trimEndWhere(link, TRAILING_PUNCTUATION));
}

/** Prices (an amount with a currency) in `text`. */
export function extractPrices(text: string): string[] {
  return findPriceRuns(text).map((price) => price.trim());
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

/**
 * The conversation the model is shown, split from what came before it: the newest messages within
 * FOLLOW_UP_POLICY.historyTokenBudget as the model sees them (sourceText), oldest first.
 */
export function historyWindow<T extends HistoryWindowMessage>(history: readonly T[]): HistoryWindow<T> {
  return selectHistoryWindow(history, { budgetTokens: FOLLOW_UP_POLICY.historyTokenBudget, shownText: sourceText });
}

/** The messages the model is shown (historyWindow), oldest first. */
export function recentHistory(history: readonly HistoryMessage[]): HistoryMessage[] {
  return historyWindow(history).window;
}

/** A knowledge passage as the model sees it: numbered from 1, title and text cut like any source. */
export interface NumberedSource {
  number: number;
  title: string;
  text: string;
}

/** The most of a passage's title the model is shown (documents' titles are at most KNOWLEDGE_TITLE_MAX_CHARS). */
const SOURCE_TITLE_CHARS = 200;

/** The passages the model is shown (the first FOLLOW_UP_POLICY.knowledgeLimit), numbered [1]..[n], as sourceText. */
export function knowledgeSources(context: DraftContext): NumberedSource[] {
  return context.knowledge.slice(0, FOLLOW_UP_POLICY.knowledgeLimit).map((passage, index) => ({
    number: index + 1,
    title: capAtWordEnd(passage.title, SOURCE_TITLE_CHARS, /\S/).trim(),
    text: sourceText(passage.text),
  }));
}

/**
 * The links and prices a draft may mention: those in the passages (title or text) and messages
 * the model is shown, read exactly as it sees them.
 */
export function allowedMentions(context: DraftContext): { links: string[]; prices: string[] } {
  const passages = knowledgeSources(context).flatMap((source) => [source.title, source.text]);
  const sources = [...passages, ...recentHistory(context.history).map((message) => sourceText(message.body))];
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
  // guessLanguage reads LANGUAGE_SAMPLE_CHARS; cutting each message first keeps the joined text that small.
  const samples = inbound.map((message) => capLength(message.body, LANGUAGE_SAMPLE_CHARS));
  return (latest && guessLanguage(latest.body)) ?? guessLanguage(samples.join("\n"));
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

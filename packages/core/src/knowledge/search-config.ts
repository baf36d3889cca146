import { guessLanguage, type GuessedLanguage } from "../followup/language.ts";

/** Postgres text search configurations (all built in) for the languages core can guess. */
const CONFIGS: Record<GuessedLanguage, string> = {
  en: "english",
  es: "spanish",
  pt: "portuguese",
  fr: "french",
  de: "german",
  it: "italian",
  nl: "dutch",
};

/** 'simple' lower-cases and keeps every word: right for any language, without stemming. */
export const FALLBACK_SEARCH_CONFIG = "simple";

export type SearchConfig = (typeof CONFIGS)[GuessedLanguage] | typeof FALLBACK_SEARCH_CONFIG;

/** The stemming configuration for a text's language, or 'simple' when the language is unclear. */
export function searchConfigFor(text: string): SearchConfig {
  const language = guessLanguage(text);
  return language ? CONFIGS[language] : FALLBACK_SEARCH_CONFIG;
}

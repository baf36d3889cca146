import { capLength } from "../text/cap.ts";
import { normalizeForMatching } from "./text-normalize.ts";

// A cheap language guess for the prompt ("write in Spanish") when the lead fact `language` is
// unset: count common function words per language. Good on a sentence, unsure on a word or two.

export type GuessedLanguage = "en" | "es" | "pt" | "fr" | "de" | "it" | "nl";

const COMMON_WORDS: Record<GuessedLanguage, readonly string[]> = {
  en: ["the", "and", "is", "are", "you", "i", "my", "to", "of", "what", "how", "much", "hi", "hello", "thanks", "please", "can", "it", "do", "does", "want", "have", "with", "for", "this", "price"],
  es: ["el", "la", "los", "las", "y", "es", "que", "de", "en", "un", "una", "hola", "gracias", "cuanto", "cuesta", "quiero", "por", "favor", "como", "para", "tienen", "precio", "estoy", "buenas", "muy", "pero", "usted", "puedo", "mas"],
  pt: ["o", "a", "os", "as", "e", "que", "de", "em", "um", "uma", "ola", "oi", "obrigado", "obrigada", "quanto", "custa", "quero", "voce", "voces", "como", "para", "tem", "preco", "estou", "muito", "nao", "sim", "bom", "dia", "tudo", "bem"],
  fr: ["le", "la", "les", "et", "est", "que", "de", "des", "un", "une", "bonjour", "merci", "combien", "je", "vous", "pour", "avec", "prix", "suis", "tres", "mais", "oui", "non", "votre", "voudrais", "salut"],
  de: ["der", "die", "das", "und", "ist", "ich", "sie", "du", "nicht", "ein", "eine", "hallo", "danke", "wie", "viel", "kostet", "preis", "mit", "fur", "ja", "nein", "bitte", "haben", "gibt", "es", "guten", "tag", "moin"],
  it: ["il", "lo", "la", "gli", "e", "che", "di", "un", "una", "ciao", "grazie", "quanto", "costa", "vorrei", "sono", "per", "con", "prezzo", "molto", "non", "si", "buongiorno", "come", "sei", "ho"],
  nl: ["de", "het", "een", "en", "is", "ik", "je", "jij", "u", "niet", "hallo", "hoi", "dank", "bedankt", "hoeveel", "kost", "prijs", "met", "voor", "ja", "nee", "graag", "wat", "goedemorgen", "heb", "wil"],
};

const LOOKUP: ReadonlyMap<GuessedLanguage, ReadonlySet<string>> = new Map(
  Object.entries(COMMON_WORDS).map(([language, words]) => [language as GuessedLanguage, new Set(words)]),
);

// Letters that only some of the languages use settle close calls.
const SIGNATURE_LETTERS: ReadonlyArray<[RegExp, GuessedLanguage]> = [
  [/[ñ¿¡]/i, "es"],
  [/[ãõ]/i, "pt"],
  [/[ß]|[äöü]/i, "de"],
  [/[èêëœ]|ç(?![ãõ])/i, "fr"],
  [/[ìò]/i, "it"],
];

export const LANGUAGE_NAMES: Record<GuessedLanguage, string> = {
  en: "English",
  es: "Spanish",
  pt: "Portuguese",
  fr: "French",
  de: "German",
  it: "Italian",
  nl: "Dutch",
};

/**
 * How much of a text the guess reads. Function words settle a language within a few sentences;
 * 4,000 characters is a long email's opening, and reading on would only cost time.
 */
export const LANGUAGE_SAMPLE_CHARS = 4_000;

/** The most likely language of `text` (its first LANGUAGE_SAMPLE_CHARS), or null when no language clearly wins. */
export function guessLanguage(text: string): GuessedLanguage | null {
  const sample = capLength(text, LANGUAGE_SAMPLE_CHARS);
  const words = normalizeForMatching(sample).split(" ").filter((word) => word !== "");
  const scores = new Map<GuessedLanguage, number>();
  for (const [language, vocabulary] of LOOKUP) {
    scores.set(language, words.filter((word) => vocabulary.has(word)).length);
  }
  for (const [pattern, language] of SIGNATURE_LETTERS) {
    if (pattern.test(sample)) scores.set(language, (scores.get(language) ?? 0) + 2);
  }
  const ranked = [...scores].sort((a, b) => b[1] - a[1]);
  const [best, second] = ranked;
  if (!best || best[1] === 0 || (second && second[1] === best[1])) return null;
  return best[0];
}

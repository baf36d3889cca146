import { capLength } from "../text/cap.ts";
import { SEARCH_PREFIX_MIN_CHARS, SEARCH_PREFIX_MIN_WORD_CHARS, SEARCH_QUERY_MAX_CHARS, SEARCH_QUERY_MAX_TERMS } from "./limits.ts";

// Words that say nothing about what a lead is asking for: function words and chat filler in the
// languages leads write most. Left in, they match every passage (the 'simple' configuration keeps
// all words) and drown the words that matter.
const NOISE_WORDS = new Set(
  [
    // en
    "a an and are as at be been but by can could did do does for from had has have hello hey hi how i if in is it its",
    "just me my no not of on or our please so than thank thanks that the their them then there these they this to",
    "too us was we were what when where which who why will with would you your yours im ive id dont doesnt",
    "want wanted need know like get got any some also about again ok okay yes yeah",
    // es
    "el la los las un una unos unas y o de del en que es son por para con sin su sus mi mis tu tus yo me te se le",
    "lo al como pero si no hola gracias favor quiero quisiera saber tienen tiene hay esta estan este esto muy mas",
    "buenas buenos dias tardes puedo puede ustedes usted",
    // pt
    "o os as um uma uns umas e em no na nos nas do da dos das ao aos com sem seu sua meu minha voce voces ola oi",
    "obrigado obrigada por favor quero queria gostaria tem vocês você é sao são nao não sim tudo bem isso",
    // fr
    "le les des du au aux et ou est sont pour avec sans sur mon ma mes ton ta tes votre vos je tu il elle nous",
    "vous ils elles ce cet cette ces qui quoi bonjour salut merci oui non pas ne est-ce avez avoir je voudrais",
    // de
    "der die das den dem des ein eine einen einem einer und oder ist sind für fur mit ohne auf von zu zum zur",
    "ich du er sie es wir ihr mein meine ihre ihr hallo danke bitte ja nein nicht haben habt hat gibt kann",
    "können konnen möchte mochte wie was wo wann",
  ]
    .join(" ")
    .split(" "),
);

const WORD = /[\p{L}\p{N}]+/gu;

export interface SearchQuery {
  /** The words searched for, lower-cased, noise removed, in order of first use. */
  terms: string[];
  /**
   * to_tsquery input: the terms OR-ed (a lead's sentence rarely holds every word of the passage;
   * ranking rewards passages matching more of them), long words also by prefix. Only letters and
   * digits reach it, so no tsquery operator can come from the lead.
   */
  tsquery: string;
}

/** Builds the lexical query for a lead's message; terms are empty when nothing searchable is left. */
export function buildSearchQuery(message: string): SearchQuery {
  const terms: string[] = [];
  const seen = new Set<string>();
  for (const match of capLength(message, SEARCH_QUERY_MAX_CHARS).matchAll(WORD)) {
    const word = match[0].toLowerCase();
    if (seen.has(word) || NOISE_WORDS.has(word) || (word.length < 2 && !/\d/.test(word))) continue;
    seen.add(word);
    terms.push(word);
    if (terms.length === SEARCH_QUERY_MAX_TERMS) break;
  }
  return { terms, tsquery: terms.map(termQuery).join(" | ") };
}

function termQuery(term: string): string {
  const prefix = searchPrefixOf(term);
  return prefix === null ? term : `${term} | ${prefix}:*`;
}

/**
 * The prefix a long search term also matches by, null for a short one. The stem of a long word is
 * its start: "shiping" and "shipping" share "ship", "horarios" and "horario" share "horar". Three
 * letters off the end, never fewer than SEARCH_PREFIX_MIN_CHARS. (The sandbox composer's word
 * matching reuses it, so a passage it reads agrees with what search matched.)
 */
export function searchPrefixOf(term: string): string | null {
  const letters = Array.from(term);
  if (term.length < SEARCH_PREFIX_MIN_WORD_CHARS) return null;
  return letters.slice(0, Math.max(SEARCH_PREFIX_MIN_CHARS, letters.length - 3)).join("");
}

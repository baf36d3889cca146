import { buildSearchQuery, searchPrefixOf } from "../knowledge/search-query.ts";
import { capAtWordEnd } from "../text/cap.ts";
import { SOURCE_TEXT_CHARS } from "./draft-rules.ts";
import type { KnowledgePassage } from "./ports.ts";
import { normalizeForMatching } from "./text-normalize.ts";

// The sandbox composer's reading of the brand's knowledge (no model): does the best passage answer
// the lead's question, and with which words? Search already ranked the passages; this decides
// whether the top ones are about what the lead asked, by how many of the question's words they
// hold (docs/decisions/0021). Without a model there are no synonyms: "send" never meets "ship".

export const KNOWLEDGE_ANSWER = {
  /** Passages read, best first: search puts the answering one near the top or nowhere. */
  candidates: 3,
  /**
   * Share of the question's words a passage must hold: one of one, two of two or three, three of
   * four or five. Half is not enough: "do you sell surfboards" must not be answered by "we sell
   * gift cards".
   */
  minCoverage: 0.6,
  /** A word and a passage word sharing this many first letters, the shorter at most one letter past them, are one word ("ship"/"shipping", "dress"/"dresses"). */
  stemMinChars: 4,
  /** Words of at least this length also match one typo away (one letter added, dropped or changed: "shiping"). */
  typoMinChars: 5,
} as const;

export interface KnowledgeAnswer {
  passage: KnowledgePassage;
  /** The words to answer with: an FAQ's answer, or the passage's best sentences; at most the asked length. */
  answer: string;
  /** Share of the question's words the passage holds. */
  coverage: number;
}

function commonPrefixLength(a: string, b: string): number {
  const max = Math.min(a.length, b.length);
  let index = 0;
  while (index < max && a.charCodeAt(index) === b.charCodeAt(index)) index += 1;
  return index;
}

/** At most one edit apart (Levenshtein distance <= 1), in one pass over both words. */
function withinOneEdit(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  let i = 0;
  let j = 0;
  let edits = 0;
  while (i < short.length && j < long.length) {
    if (short.charCodeAt(i) === long.charCodeAt(j)) {
      i += 1;
      j += 1;
      continue;
    }
    edits += 1;
    if (edits > 1) return false;
    if (short.length === long.length) i += 1;
    j += 1;
  }
  return edits + (long.length - j) + (short.length - i) <= 1;
}

/** Search's own prefix rule, either way round: "devolver" meets "devoluciones" as it did in search. */
function sharesSearchPrefix(a: string, b: string): boolean {
  const ofA = searchPrefixOf(a);
  const ofB = searchPrefixOf(b);
  return (ofA !== null && b.startsWith(ofA)) || (ofB !== null && a.startsWith(ofB));
}

function sameWord(term: string, word: string): boolean {
  if (term === word) return true;
  const prefix = commonPrefixLength(term, word);
  if (prefix >= KNOWLEDGE_ANSWER.stemMinChars && Math.min(term.length, word.length) - prefix <= 1) return true;
  if (sharesSearchPrefix(term, word)) return true;
  return term.length >= KNOWLEDGE_ANSWER.typoMinChars && word.length >= KNOWLEDGE_ANSWER.typoMinChars && withinOneEdit(term, word);
}

/**
 * The question's words, as search reads them (noise dropped), accents folded like the passages',
 * without the words that only frame a question ("whats", "cuanto"): a passage need not repeat them.
 */
export function questionTerms(question: string): string[] {
  const terms = buildSearchQuery(question)
    .terms.map((term) => normalizeForMatching(term))
    .filter((term) => term !== "" && !QUESTION_OPENERS.has(term) && !QUESTION_FRAMING.has(term));
  return [...new Set(terms)];
}

function wordsOf(text: string): Set<string> {
  return new Set(normalizeForMatching(text).split(" ").filter((word) => word !== ""));
}

function matchedTerms(terms: readonly string[], words: ReadonlySet<string>): number {
  let matched = 0;
  for (const term of terms) {
    if (words.has(term)) {
      matched += 1;
      continue;
    }
    for (const word of words) {
      if (sameWord(term, word)) {
        matched += 1;
        break;
      }
    }
  }
  return matched;
}

const FAQ_ANSWER_MARK = "\nA: ";

/** The passage's text as the draft check reads it (cut like sourceText, without its marker: a "[…]" would read as a placeholder). */
function readableText(text: string): string {
  return capAtWordEnd(text, SOURCE_TEXT_CHARS, /\S/).trim();
}

/** An FAQ chunk ("Q: … A: …", core's faqChunk) split into its question and answer; null for prose. */
function faqParts(text: string): { question: string; answer: string } | null {
  if (!text.startsWith("Q: ")) return null;
  const mark = text.indexOf(FAQ_ANSWER_MARK);
  if (mark === -1) return null;
  return { question: text.slice(3, mark).trim(), answer: text.slice(mark + FAQ_ANSWER_MARK.length).trim() };
}

/** Sentences of prose, in order: cut after . ! ? followed by a space, and at line ends; heading lines dropped. */
function sentencesOf(text: string): string[] {
  const sentences: string[] = [];
  for (const line of text.split("\n")) {
    const trimmed = line.trim();
    if (trimmed === "" || trimmed.startsWith("#")) continue;
    let start = 0;
    for (let index = 0; index < trimmed.length; index += 1) {
      const char = trimmed.charAt(index);
      if ((char === "." || char === "!" || char === "?") && trimmed.charAt(index + 1) === " ") {
        sentences.push(trimmed.slice(start, index + 1).trim());
        start = index + 1;
      }
    }
    const rest = trimmed.slice(start).trim();
    if (rest !== "") sentences.push(rest);
  }
  return sentences;
}

/** Whole sentences from the start of `sentences` while they fit `maxChars`; the first one cut at a word when even it does not. */
function fitSentences(sentences: readonly string[], maxChars: number): string {
  const first = sentences[0] ?? "";
  if (first.length > maxChars) return `${capAtWordEnd(first, Math.max(0, maxChars - 1), /\S/).trimEnd()}…`;
  let text = first;
  for (const sentence of sentences.slice(1)) {
    if (text.length + 1 + sentence.length > maxChars) break;
    text = `${text} ${sentence}`;
  }
  return text;
}

/** The best sentence for the question, with the next one when it also holds a question word. */
function bestSentences(terms: readonly string[], text: string): string[] {
  const sentences = sentencesOf(text);
  let best = -1;
  let bestMatched = 0;
  sentences.forEach((sentence, index) => {
    const matched = matchedTerms(terms, wordsOf(sentence));
    if (matched > bestMatched) {
      best = index;
      bestMatched = matched;
    }
  });
  if (best === -1) return sentences.slice(0, 1);
  const next = sentences[best + 1];
  const picked = [sentences[best] as string];
  if (next !== undefined && matchedTerms(terms, wordsOf(next)) > 0) picked.push(next);
  return picked;
}

/**
 * The answer to `question` from the first KNOWLEDGE_ANSWER.candidates passages: the one holding
 * the largest share of the question's words (ties: the better ranked), when that share reaches
 * KNOWLEDGE_ANSWER.minCoverage. An FAQ answers with its answer, prose with its best sentence(s),
 * at most `maxChars`. Null when no passage is confidently about the question.
 */
export function answerFromKnowledge(question: string, passages: readonly KnowledgePassage[], maxChars: number): KnowledgeAnswer | null {
  const terms = questionTerms(question);
  if (terms.length === 0 || maxChars <= 0) return null;
  let best: { passage: KnowledgePassage; text: string; coverage: number } | null = null;
  for (const passage of passages.slice(0, KNOWLEDGE_ANSWER.candidates)) {
    const text = readableText(passage.text);
    const coverage = matchedTerms(terms, wordsOf(`${passage.title}\n${text}`)) / terms.length;
    if (!best || coverage > best.coverage) best = { passage, text, coverage };
  }
  if (!best || best.coverage < KNOWLEDGE_ANSWER.minCoverage) return null;
  const faq = faqParts(best.text);
  const sentences = faq ? sentencesOf(faq.answer) : bestSentences(terms, best.text);
  const answer = fitSentences(sentences, maxChars);
  return answer === "" ? null : { passage: best.passage, answer, coverage: best.coverage };
}

// Words that open a question; with "?" anywhere, they tell a question from "thanks, see you".
const QUESTION_OPENERS = new Set(
  [
    "what how when where which who why whats hows can could do does did is are am will would should may any",
    "que qué cuanto cuánto cuanta cuánta cuando cuándo donde dónde como cómo cual cuál quien quién puedo pueden tienen hay hacen",
    "quanto quanta quando onde qual quem posso podem voces vocês tem têm fazem",
    "combien quand ou où comment quel quelle quels quelles pourquoi puis avez",
    "wie was wann wo welche welcher welches warum kann koennen können gibt habt haben",
  ]
    .join(" ")
    .split(" ")
    .map((word) => normalizeForMatching(word)),
);

// Words that frame how much or how long is asked ("how long does it take"), not what about.
const QUESTION_FRAMING = new Set(["long", "much", "many", "take", "takes", "tarda", "tardan", "demora", "demoram", "combien", "lange", "dauert"]);

/** Whether the lead's words ask something: a question mark, or a sentence opening with a question word. */
export function looksLikeQuestion(text: string): boolean {
  if (text.includes("?") || text.includes("¿")) return true;
  return text.split("\n").some((line) => QUESTION_OPENERS.has(normalizeForMatching(line).split(" ")[0] ?? ""));
}

import { capAtWordEnd } from "../text/cap.ts";
import { trimEndWhere } from "../text/trim.ts";
import { findEmailAddresses } from "../followup/find-links.ts";
import { findPriceRuns } from "../followup/find-prices.ts";
import { firstNameOf } from "../followup/first-name.ts";
import { guessLanguage } from "../followup/language.ts";
import { containsPhrase, normalizeForMatching } from "../followup/text-normalize.ts";
import { checkFactValue, normalizePhone, PHONE_TEXT_MAX_CHARS, type LeadFactKind } from "./fact-kinds.ts";
import {
  BUDGET_PHRASES,
  CITY_MAX_WORDS,
  CITY_ZONES,
  CLAUSE_BREAKS,
  GREETINGS,
  INTEREST_PHRASES,
  LOCATION_PHRASES,
  NAME_PHRASES,
  NEGATIONS,
  NOT_A_NAME,
  OBJECTION_PHRASES,
  WEAK_NAME_PHRASES,
} from "./fact-phrases.ts";

// The keyless rules: what a lead's own message says about them (docs/decisions/0022). One pass
// over a capped text builds its words; every rule then looks at a bounded number of words per
// position, so the cost is linear in the text and has a ceiling (0012). Wrong is worse than
// nothing here: a fact steers greetings, quiet hours and escalation, so unsure gives no fact.

/**
 * How much of one message the rules read. What a lead says about themselves comes in the first
 * lines; 4,000 characters is a long email's opening (the language guess reads as much).
 */
export const FACT_TEXT_MAX_CHARS = 4_000;

/** The most words an interest keeps ("interested in the gold hoop earrings"). */
const INTEREST_MAX_WORDS = 8;
/** How far after "budget"/"under" the price may start ("my budget is around $200"). */
const BUDGET_WINDOW_CHARS = 40;
/** A greeting in the lead's language settles little on a word or two ("ok", "thanks"). */
const LANGUAGE_MIN_WORDS = 4;

export interface ExtractedFact {
  kind: LeadFactKind;
  value: string;
}

interface Token {
  raw: string;
  /** Lower case, accents removed, "’" as "'", "ß" as "ss". */
  folded: string;
  start: number;
  end: number;
  isWord: boolean;
}

// A word (letters, marks, digits, joined by single apostrophes or hyphens) or one other character.
// The joiners are outside the word class, so each character is read once.
const TOKEN = /[\p{L}\p{M}\p{N}]+(?:['’-][\p{L}\p{M}\p{N}]+)*|[^\s\p{L}\p{M}\p{N}]/gu;
const MARKS = /\p{M}/gu;
const WORD_START = /[\p{L}\p{M}\p{N}]/u;
const UPPER_START = /^\p{Lu}/u;
const SENTENCE_ENDS = new Set([".", "!", "?", ",", ";", ":", "¡", "¿", "-", "("]);
// What may follow a number's last digit without being part of it ("+49 151 1234567.").
const NUMBER_TRAILER = /[\s.\-/()]/;
const WORD_CHAR = /[\p{L}\p{M}\p{N}]/u;

function fold(raw: string): string {
  return raw.normalize("NFKD").replace(MARKS, "").toLowerCase().replaceAll("’", "'").replaceAll("ß", "ss");
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const match of text.matchAll(TOKEN)) {
    const raw = match[0];
    tokens.push({ raw, folded: fold(raw), start: match.index, end: match.index + raw.length, isWord: WORD_START.test(raw) });
  }
  return tokens;
}

type PhraseIndex = ReadonlyMap<string, readonly (readonly string[])[]>;

/** Phrases by their first word, longest first, so "i'm based in" is tried before "i'm in". */
function indexPhrases(phrases: readonly string[]): PhraseIndex {
  const index = new Map<string, string[][]>();
  for (const phrase of phrases) {
    const words = phrase.split(" ");
    const first = words[0] as string;
    index.set(first, [...(index.get(first) ?? []), words].sort((a, b) => b.length - a.length));
  }
  return index;
}

const NAME_INDEX = indexPhrases(NAME_PHRASES);
const WEAK_NAME_INDEX = indexPhrases(WEAK_NAME_PHRASES);
const LOCATION_INDEX = indexPhrases(LOCATION_PHRASES);
const INTEREST_INDEX = indexPhrases(INTEREST_PHRASES);
const BUDGET_INDEX = indexPhrases(BUDGET_PHRASES);

/** How many words of the phrase from `index` start at token `at` (0: none). */
function phraseAt(tokens: readonly Token[], at: number, index: PhraseIndex): number {
  const candidates = index.get(tokens[at]?.folded ?? "");
  if (!candidates) return 0;
  for (const words of candidates) {
    if (words.every((word, offset) => tokens[at + offset]?.folded === word)) return words.length;
  }
  return 0;
}

/** A line break between two tokens ends a clause as a full stop does. */
function brokenBetween(text: string, before: Token, after: Token): boolean {
  return text.slice(before.end, after.start).includes("\n");
}

/** At the start of the text, of a sentence or clause, or after a greeting ("Hi, I'm Sam"). */
function startsClause(text: string, tokens: readonly Token[], at: number): boolean {
  const previous = tokens[at - 1];
  const current = tokens[at] as Token;
  if (!previous) return true;
  return SENTENCE_ENDS.has(previous.raw) || GREETINGS.has(previous.folded) || brokenBetween(text, previous, current);
}

function nameAt(text: string, tokens: readonly Token[], at: number): string | null {
  const strong = phraseAt(tokens, at, NAME_INDEX);
  const weak = strong === 0 ? phraseAt(tokens, at, WEAK_NAME_INDEX) : 0;
  const length = strong || weak;
  if (length === 0) return null;
  const candidate = tokens[at + length];
  if (!candidate?.isWord || NOT_A_NAME.has(candidate.folded) || CITY_ZONES.has(candidate.folded)) return null;
  if (weak > 0 && (!startsClause(text, tokens, at) || !UPPER_START.test(candidate.raw) || candidate.raw === candidate.raw.toUpperCase())) {
    return null;
  }
  // firstNameOf's checks: a real given name (no initials, handles or role words), capitalized.
  return firstNameOf({ preferredName: candidate.raw });
}

function cityAt(tokens: readonly Token[], at: number): { name: string; zone: string } | null {
  for (let words = CITY_MAX_WORDS; words >= 1; words -= 1) {
    const slice = tokens.slice(at, at + words);
    if (slice.length < words || !slice.every((token) => token.isWord)) continue;
    const city = CITY_ZONES.get(slice.map((token) => token.folded).join(" "));
    // "I'm in Rio de Janeiro" but not "I'm in LA-ish" : the city must end its words.
    if (city) return city;
  }
  return null;
}

function interestAt(text: string, tokens: readonly Token[], at: number): string | null {
  const length = phraseAt(tokens, at, INTEREST_INDEX);
  if (length === 0) return null;
  const before = [tokens[at - 1]?.folded, tokens[at - 2]?.folded, tokens[at - 3]?.folded];
  if (before.some((word) => word !== undefined && NEGATIONS.has(word))) return null;
  const words: Token[] = [];
  for (let index = at + length; index < tokens.length && words.length < INTEREST_MAX_WORDS; index += 1) {
    const token = tokens[index] as Token;
    const previous = tokens[index - 1] as Token;
    if (!token.isWord && token.raw !== "&") break;
    if (CLAUSE_BREAKS.has(token.folded) || (words.length > 0 && brokenBetween(text, previous, token))) break;
    words.push(token);
  }
  const first = words[0];
  const last = words.at(-1);
  if (!first || !last) return null;
  const value = text.slice(first.start, last.end);
  // "looking for it", "busco eso": a pronoun alone names nothing.
  return words.length === 1 && PRONOUNS.has(first.folded) ? null : value;
}

const PRONOUNS = new Set([
  "it", "this", "that", "something", "you", "u", "me", "us", "them", "one",
  "eso", "esto", "algo", "ti", "te", "usted", "ustedes",
  "ca", "cela", "quelque", "vous", "toi",
  "das", "es", "etwas", "dich", "sie", "euch",
  "isso", "isto", "voce", "voces",
]);

function budgetAt(text: string, tokens: readonly Token[], at: number): string | null {
  const length = phraseAt(tokens, at, BUDGET_INDEX);
  if (length === 0) return null;
  const end = (tokens[at + length - 1] as Token).end;
  return findPriceRuns(text.slice(end, end + BUDGET_WINDOW_CHARS))[0]?.trim() ?? null;
}

function isPhoneUnit(unit: number): boolean {
  // Digits, space, "-", ".", "(", ")", "/".
  return (unit >= 0x30 && unit <= 0x39) || unit === 0x20 || unit === 0x2d || unit === 0x2e || unit === 0x28 || unit === 0x29 || unit === 0x2f;
}

/**
 * Phone numbers written internationally ("+49 151 1234 5678", "0049 151 12345678"), in E.164, in
 * one pass: each run of phone characters is read once, and only runs that start with "+" or "00"
 * and are short enough to be one number go to libphonenumber. A national number ("0151 ...") needs
 * a country we do not know, so it gives nothing.
 */
export function findPhoneNumbers(text: string): string[] {
  const numbers: string[] = [];
  let position = 0;
  while (position < text.length) {
    const unit = text.charCodeAt(position);
    const startsNumber = unit === 0x2b || (unit === 0x30 && text.charCodeAt(position + 1) === 0x30);
    if (!startsNumber || WORD_CHAR.test(text.charAt(position - 1))) {
      position += 1;
      continue;
    }
    let end = position + 1;
    while (end < text.length && isPhoneUnit(text.charCodeAt(end))) end += 1;
    const run = trimEndWhere(text.slice(position, end), NUMBER_TRAILER);
    // "+49151abc" is no number: a letter may not touch its last digit.
    if (run.length <= PHONE_TEXT_MAX_CHARS && !WORD_CHAR.test(text.charAt(position + run.length))) {
      const phone = normalizePhone(run);
      if (phone !== null) numbers.push(phone);
    }
    position = end;
  }
  return numbers;
}

/**
 * What one message of the lead's says about them, by rules alone: the first email address and
 * phone number they write, the name they ask to be called, the city they are in (and its zone),
 * the language they write in, what they are interested in, their objections and their budget.
 */
export function extractFactsByRules(message: string): ExtractedFact[] {
  const text = capAtWordEnd(message, FACT_TEXT_MAX_CHARS, WORD_CHAR);
  const facts: ExtractedFact[] = [];
  const add = (kind: LeadFactKind, value: string | null) => {
    if (value === null) return;
    const checked = checkFactValue(kind, value);
    if (!checked.ok) return;
    const single = kind !== "interest" && kind !== "objection";
    if (facts.some((fact) => fact.kind === kind && (single || fact.value.toLowerCase() === checked.value.toLowerCase()))) return;
    facts.push({ kind, value: checked.value });
  };

  for (const email of findEmailAddresses(text)) add("email", email);
  for (const phone of findPhoneNumbers(text)) add("phone", phone);

  const tokens = tokenize(text);
  for (let at = 0; at < tokens.length; at += 1) {
    add("preferred_name", nameAt(text, tokens, at));
    const place = phraseAt(tokens, at, LOCATION_INDEX);
    const city = place > 0 ? cityAt(tokens, at + place) : null;
    if (city) {
      add("location", city.name);
      add("timezone", city.zone);
    }
    add("interest", interestAt(text, tokens, at));
    add("budget", budgetAt(text, tokens, at));
  }

  const normalized = normalizeForMatching(text);
  for (const objection of OBJECTION_PHRASES) {
    if (objection.phrases.some((phrase) => containsPhrase(normalized, phrase))) add("objection", objection.value);
  }

  if (tokens.filter((token) => token.isWord).length >= LANGUAGE_MIN_WORDS) add("language", guessLanguage(text));
  return facts;
}

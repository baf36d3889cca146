import { findLinkRuns, replaceEmailAddresses } from "../followup/find-links.ts";
import { containsPhrase, normalizeForMatching } from "../followup/text-normalize.ts";
import { capAtWordEnd, capLength } from "../text/cap.ts";
import { isWhitespaceUnit } from "../text/whitespace.ts";
import type { WindowMessage } from "./history-window.ts";

// The keyless conversation summary (docs/decisions/0024): the lead's key sentences, picked by rule.
// Questions, decisions and statements of fact (numbers, dates, prices, links, "I am / I need / my
// ...") are what the next reply must not forget; greetings and small talk are left out. Every pass
// is linear and every input is cut first (docs/decisions/0012).

/** The longest summary kept (about 300 tokens): the prompt's "Earlier in this conversation" part. */
export const SUMMARY_MAX_CHARS = 1_200;
/** One kept sentence at most; a longer one is cut before a word. */
export const SUMMARY_SENTENCE_MAX_CHARS = 240;
/** How much of one message is read for sentences: two and a half full sentences per line of a long email is plenty. */
export const SUMMARY_MESSAGE_READ_CHARS = 4_000;

export type SummaryLineKind = "asked" | "decided" | "said";

/** "earlier": a line of a summary the model wrote, kept as it is when the model is not there now. */
type LineKind = SummaryLineKind | "earlier";

const LINE_PREFIX: Record<LineKind, string> = {
  decided: "Lead decided: ",
  asked: "Lead asked: ",
  said: "Lead said: ",
  earlier: "",
};

/** Kept longest when the summary is over SUMMARY_MAX_CHARS: decisions, then questions, facts, other lines. */
const KEEP_ORDER: readonly LineKind[] = ["decided", "asked", "said", "earlier"];

// Normalized (normalizeForMatching) phrases, matched as whole words. Seven languages, as opt-out.
const DECISION_PHRASES = [
  "let s do it", "let s go", "lets do it", "sounds good", "sign me up", "book me", "i ll take", "i ll book", "i will take",
  "i want to book", "i d like to book", "go ahead", "deal", "i m in", "count me in", "i ll buy", "i will buy", "i ll pay",
  "i ll come", "confirmed", "i confirm", "i agree", "we agree", "i decided", "i ve decided",
  "de acuerdo", "lo quiero", "me apunto", "reservame", "lo compro", "confirmo", "trato hecho",
  "d accord", "je le prends", "je confirme", "c est bon pour moi", "je reserve",
  "einverstanden", "ich nehme", "ich buche", "ich bestatige",
  "combinado", "eu quero", "pode reservar", "eu confirmo", "fechado",
  "va bene", "lo prendo", "confermo", "prenoto", "akkoord", "ik boek", "ik neem",
];

const FACT_PHRASES = [
  "i am", "i m", "my", "i have", "i ve got", "i need", "i want", "i d like", "i would like", "i live", "i work", "we are",
  "we re", "our", "we need", "we have", "budget", "allergic", "prefer", "i can", "i can t", "i cannot", "available",
  "soy", "estoy", "mi", "tengo", "necesito", "quiero", "vivo", "trabajo", "prefiero", "presupuesto",
  "je suis", "mon", "ma", "mes", "j ai", "je veux", "je voudrais", "j habite", "je prefere",
  "ich bin", "mein", "meine", "ich habe", "ich brauche", "ich mochte", "ich wohne",
  "eu sou", "meu", "minha", "tenho", "preciso", "moro", "sono", "il mio", "la mia", "ho", "ik ben", "mijn", "ik heb",
];

const QUESTION_OPENERS = [
  "how", "what", "when", "where", "which", "who", "why", "can i", "can you", "could you", "do you", "does", "is there",
  "are there", "is it", "cuanto", "cuando", "como", "donde", "que", "combien", "quand", "ou", "est ce", "wie", "wann",
  "wo", "was", "quanto", "quando", "onde", "hoe", "wat", "waar",
];

const SENTENCE_END = new Set([".", "!", "?", "\n", "。", "！", "？", "¡", "¿"]);

/**
 * The sentences of `text`, whitespace collapsed, each at most SUMMARY_SENTENCE_MAX_CHARS (cut
 * before a word). One pass; "¿" and "¡" start a sentence and stay with it.
 */
export function splitSentences(text: string): string[] {
  const sentences: string[] = [];
  let current = "";
  let pendingSpace = false;
  const flush = () => {
    const sentence = current.trim();
    const capped = capAtWordEnd(sentence, SUMMARY_SENTENCE_MAX_CHARS, /\S/).trimEnd();
    if (capped !== "") sentences.push(capped);
    current = "";
    pendingSpace = false;
  };
  for (let index = 0; index < text.length; index += 1) {
    const char = text.charAt(index);
    if (char === "¿" || char === "¡") {
      flush();
      current = char;
      continue;
    }
    if (SENTENCE_END.has(char)) {
      // A decimal point or a dotted name ("1.5", "lumen.example") does not end the sentence.
      const next = text.charAt(index + 1);
      if (char === "." && next !== "" && !isWhitespaceUnit(next.charCodeAt(0))) {
        current += char;
        continue;
      }
      if (char !== "\n" && current.length < SUMMARY_SENTENCE_MAX_CHARS * 2) current += char;
      flush();
      continue;
    }
    if (isWhitespaceUnit(char.charCodeAt(0))) {
      pendingSpace = current !== "";
      continue;
    }
    // A sentence with no end in sight stops growing; the rest of it is not read twice.
    if (current.length >= SUMMARY_SENTENCE_MAX_CHARS * 2) continue;
    if (pendingSpace) current += " ";
    pendingSpace = false;
    current += char;
  }
  flush();
  return sentences;
}

function startsWithAny(normalized: string, phrases: readonly string[]): boolean {
  return phrases.some((phrase) => normalized === phrase || normalized.startsWith(`${phrase} `));
}

function containsAny(normalized: string, phrases: readonly string[]): boolean {
  return phrases.some((phrase) => containsPhrase(normalized, phrase));
}

/**
 * What a sentence of the lead tells the next reply, or null when it is small talk. `normalized` is
 * normalizeForMatching(sentence), when the caller has it already.
 */
export function classifySentence(sentence: string, normalized = normalizeForMatching(sentence)): SummaryLineKind | null {
  const words = normalized === "" ? 0 : countWords(normalized);
  if (words < 2) return null;
  if (sentence.endsWith("?") || sentence.endsWith("？") || sentence.startsWith("¿") || (words >= 3 && startsWithAny(normalized, QUESTION_OPENERS))) {
    return "asked";
  }
  if (containsAny(normalized, DECISION_PHRASES)) return "decided";
  if (words < 3) return null;
  // Cheapest first: every price, date and phone number has a digit.
  if (/\d/.test(sentence) || containsAny(normalized, FACT_PHRASES)) return "said";
  const hasAddress = replaceEmailAddresses(sentence, " ") !== sentence || findLinkRuns(sentence).length > 0;
  return hasAddress ? "said" : null;
}

function countWords(normalized: string): number {
  let words = 1;
  for (let at = normalized.indexOf(" "); at !== -1; at = normalized.indexOf(" ", at + 1)) words += 1;
  return words;
}

interface SummaryLine {
  kind: LineKind;
  text: string;
}

function parseLine(line: string): SummaryLine | null {
  for (const kind of KEEP_ORDER) {
    const prefix = LINE_PREFIX[kind];
    if (prefix !== "" && line.startsWith(prefix)) return { kind, text: line.slice(prefix.length) };
  }
  const text = line.trim();
  return text === "" ? null : { kind: "earlier", text };
}

function render(lines: readonly SummaryLine[]): string {
  return lines.map((line) => LINE_PREFIX[line.kind] + line.text).join("\n");
}

/**
 * The summary after `messages` (oldest first), built on `previous` (null, or a summary written by
 * this function or by the model): the previous lines, then each new key sentence of the lead once.
 * Over SUMMARY_MAX_CHARS, lines of a model's summary go first, then the oldest facts, the oldest
 * questions, the oldest decisions. Deterministic: the same input gives the same summary.
 */
export function extractiveSummary(input: { previous: string | null; messages: readonly Pick<WindowMessage, "direction" | "body">[] }): string {
  const previous = capLength(input.previous ?? "", SUMMARY_MAX_CHARS * 2);
  const lines: SummaryLine[] = previous.split("\n").flatMap((line) => parseLine(line) ?? []);
  const seen = new Set(lines.map((line) => normalizeForMatching(line.text)));
  for (const message of input.messages) {
    if (message.direction !== "inbound") continue;
    for (const sentence of splitSentences(capLength(message.body, SUMMARY_MESSAGE_READ_CHARS))) {
      const key = normalizeForMatching(sentence);
      if (seen.has(key)) continue;
      const kind = classifySentence(sentence, key);
      if (!kind) continue;
      seen.add(key);
      lines.push({ kind, text: sentence });
    }
  }
  // Rendered length kept as a running total (each line plus its newline), so dropping is one pass per kind.
  const dropped = new Set<number>();
  let length = lines.reduce((sum, line) => sum + LINE_PREFIX[line.kind].length + line.text.length + 1, 0) - 1;
  for (const kind of [...KEEP_ORDER].reverse()) {
    for (let index = 0; index < lines.length && length > SUMMARY_MAX_CHARS; index += 1) {
      const line = lines[index] as SummaryLine;
      if (line.kind !== kind) continue;
      dropped.add(index);
      length -= LINE_PREFIX[line.kind].length + line.text.length + 1;
    }
  }
  return render(lines.filter((_, index) => !dropped.has(index)));
}

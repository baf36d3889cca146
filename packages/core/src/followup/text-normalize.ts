import { capAtWordEnd } from "../text/cap.ts";

/**
 * The most of a text that is normalized for matching: as much as capture stores of one message
 * (MESSAGE_TEXT_LIMIT, 20,000 characters), so the opt-out keywords read every stored word. NFKD
 * can turn one character into 18 (U+FDFA), so the cut comes first.
 */
export const MATCHING_TEXT_MAX_CHARS = 20_000;

const WORD_OR_MARK = /[\p{L}\p{N}\p{M}]/u;
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
const MARK = /\p{M}/u;

// Character kinds; 0 is "not looked up yet".
const KIND_WORD = 1;
const KIND_MARK = 2;
const KIND_OTHER = 3;

// What each BMP character is, looked up once: a global replace with /[^\p{L}\p{N}]+/gu cost about
// 4 µs per match, so 1 MB of "a.a.a." took seconds; a table lookup per character does not.
const bmpKinds = new Uint8Array(0x10000);

function kindOf(char: string): number {
  const classify = () => (LETTER_OR_DIGIT.test(char) ? KIND_WORD : MARK.test(char) ? KIND_MARK : KIND_OTHER);
  if (char.length !== 1) return classify();
  const unit = char.charCodeAt(0);
  if (bmpKinds[unit] === 0) bmpKinds[unit] = classify();
  return bmpKinds[unit] as number;
}

/**
 * Lowercase, accents removed, every run of punctuation/symbols/emoji turned into one space, trimmed:
 * "¡Déjame en PAZ!!" -> "dejame en paz". Apostrophes split words ("don't" -> "don t"). Reads the
 * first MATCHING_TEXT_MAX_CHARS, cut before a word the limit would split ("remove meat" never
 * becomes "remove me").
 */
export function normalizeForMatching(text: string): string {
  const decomposed = capAtWordEnd(text, MATCHING_TEXT_MAX_CHARS, WORD_OR_MARK).normalize("NFKD").toLowerCase();
  const words: string[] = [];
  let word = "";
  for (const char of decomposed) {
    const kind = kindOf(char);
    // A mark (the accent NFKD split off a letter) vanishes without ending its word.
    if (kind === KIND_WORD) word += char;
    else if (kind === KIND_OTHER && word !== "") {
      words.push(word);
      word = "";
    }
  }
  if (word !== "") words.push(word);
  return words.join(" ").replaceAll("ß", "ss");
}

const SPACE = 0x20;

/**
 * Whether the normalized `phrase` occurs in normalized `text` as whole words. Searches the text in
 * place (opt-out detection asks this for every stop phrase, so no padded copy of the text per call).
 */
export function containsPhrase(normalizedText: string, phrase: string): boolean {
  if (phrase === "") return normalizedText === "";
  for (let at = normalizedText.indexOf(phrase); at !== -1; at = normalizedText.indexOf(phrase, at + 1)) {
    const end = at + phrase.length;
    const startsWord = at === 0 || normalizedText.charCodeAt(at - 1) === SPACE;
    if (startsWord && (end === normalizedText.length || normalizedText.charCodeAt(end) === SPACE)) return true;
  }
  return false;
}

/**
 * Lowercase, accents removed, every run of punctuation/symbols/emoji turned into one space, trimmed:
 * "¡Déjame en PAZ!!" -> "dejame en paz". Apostrophes split words ("don't" -> "don t").
 */
export function normalizeForMatching(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/ß/g, "ss")
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

/** Whether the normalized `phrase` occurs in normalized `text` as whole words. */
export function containsPhrase(normalizedText: string, phrase: string): boolean {
  return ` ${normalizedText} `.includes(` ${phrase} `);
}

import { createHash } from "node:crypto";
import { capLength } from "../text/cap.ts";
import { SEARCH_QUERY_MAX_CHARS } from "./limits.ts";
import type { Embedder } from "./embedder.ts";

const WORD = /[\p{L}\p{N}]+/gu;
/** Texts embedded by hashing are cut here: the fake and tests never need more. */
const HASHED_TEXT_MAX_CHARS = 20 * SEARCH_QUERY_MAX_CHARS;

/**
 * A deterministic stand-in for an embedding model (the hashing trick over lower-cased words and
 * their 4-letter prefixes), unit length like OpenAI's. It knows no synonyms or languages, so it
 * proves the hybrid plumbing, not semantic quality. Serves the fake OpenAI server and tests.
 */
export function hashedBagOfWords(text: string, dimensions: number): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  for (const match of capLength(text, HASHED_TEXT_MAX_CHARS).toLowerCase().matchAll(WORD)) {
    const word = match[0];
    for (const feature of word.length > 4 ? [word, `${word.slice(0, 4)}*`] : [word]) {
      const digest = createHash("sha256").update(feature).digest();
      const slot = digest.readUInt32BE(0) % dimensions;
      vector[slot] = (vector[slot] ?? 0) + ((digest[4] ?? 0) & 1 ? 1 : -1);
    }
  }
  const norm = Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0));
  return norm === 0 ? vector : vector.map((value) => value / norm);
}

export function createHashingEmbedder(dimensions: number, model = "hashed-bag-of-words"): Embedder {
  return {
    model,
    dimensions,
    embed: (texts) => Promise.resolve(texts.map((text) => hashedBagOfWords(text, dimensions))),
  };
}

// Token counts without a tokenizer: OpenAI's rule of thumb is four characters of English per
// token. Chunk sizes only need to be roughly even, and the estimate must be pure and cheap.

const CHARS_PER_TOKEN = 4;

export function estimateTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

/** The character budget matching a token budget. */
export function charsForTokens(tokens: number): number {
  return tokens * CHARS_PER_TOKEN;
}

import type { EmbeddingFailure } from "./embedder.ts";

/** What the owner reads when a document could not be indexed (shown as the document's error). */
export const KNOWLEDGE_FAILURE_NOTES = {
  empty: "The document has no text to index.",
  embeddingUnauthorized: "The embeddings service refused the API key; fix OPENAI_API_KEY and re-index.",
  embeddingRejected: "The embeddings service could not embed this document; re-index to try again.",
  gaveUp: "Indexing kept failing; re-index to try again.",
} as const;

/** Whether retrying can help: a refused key or a malformed answer fails the same way next time. */
export function embeddingFailureIsFinal(reason: EmbeddingFailure): boolean {
  return reason === "unauthorized" || reason === "bad_response";
}
